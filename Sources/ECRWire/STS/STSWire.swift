/// The names of STS's query-protocol wire, shared by the client (`STSClient`) and the fake's STS:
/// actions, request parameters and the XML elements of answers.
public enum STSWire {
    public static let apiVersion = "2011-06-15"
    /// The XML namespace of every answer.
    public static let namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

    /// The STS actions LabCheck uses and the fake serves.
    public enum Action: String, CaseIterable, Sendable {
        case getCallerIdentity = "GetCallerIdentity"
        case assumeRole = "AssumeRole"

        /// `<Action>Response`, the root of an answer.
        public var responseElement: String { rawValue + "Response" }
        /// `<Action>Result`, the element holding an answer's result.
        public var resultElement: String { rawValue + "Result" }
    }

    /// Form parameters of a query-protocol request.
    public enum Parameter {
        public static let action = "Action"
        public static let version = "Version"
        public static let roleArn = "RoleArn"
        public static let roleSessionName = "RoleSessionName"
        public static let externalId = "ExternalId"
        public static let durationSeconds = "DurationSeconds"
    }

    /// XML element names of answers.
    public enum Element {
        // GetCallerIdentity
        public static let account = "Account"
        public static let arn = "Arn"
        public static let userId = "UserId"
        // AssumeRole
        public static let credentials = "Credentials"
        public static let accessKeyId = "AccessKeyId"
        public static let secretAccessKey = "SecretAccessKey"
        public static let sessionToken = "SessionToken"
        public static let expiration = "Expiration"
        public static let assumedRoleUser = "AssumedRoleUser"
        public static let assumedRoleId = "AssumedRoleId"
        // every answer
        public static let responseMetadata = "ResponseMetadata"
        public static let requestId = "RequestId"
        // errors
        public static let errorResponse = "ErrorResponse"
        public static let error = "Error"
        public static let type = "Type"
        public static let code = "Code"
        public static let message = "Message"
    }
}
