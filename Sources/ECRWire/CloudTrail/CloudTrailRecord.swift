import Foundation

/// One CloudTrail record: the JSON document LookupEvents carries as `CloudTrailEvent`, in the shape of
/// the CloudTrail record contents reference (eventVersion 1.08+). Written by the fake, read by the checker.
public struct CloudTrailRecord: Codable, Hashable, Sendable {
    public var eventVersion: String
    public var userIdentity: UserIdentity
    /// UTC, second precision, `2026-12-02T01:02:03Z`.
    public var eventTime: Date
    /// `ecr.amazonaws.com`, `sts.amazonaws.com`.
    public var eventSource: String
    public var eventName: String
    public var awsRegion: String
    public var sourceIPAddress: String
    public var userAgent: String
    public var errorCode: String?
    public var errorMessage: String?
    /// The request's members, as the service's shape names them (`repositoryName`, `imageTag`, …); null when none are logged.
    public var requestParameters: JSONValue?
    /// The answer's members (writes only); see `responseElementsHeld` for how they are kept.
    public var responseElements: JSONValue? {
        get { responseElementsHeld?.value }
        set { responseElementsHeld = newValue.map(DeferredJSON.init) }
    }
    /// `responseElements` as held: the fake keeps an answer's own text, parsed when read.
    public var responseElementsHeld: DeferredJSON?
    public var requestID: String
    public var eventID: String
    public var readOnly: Bool
    /// The resources the call concerned (ECR: the repository ARN).
    public var resources: [Resource]?
    /// `AwsApiCall`.
    public var eventType: String
    public var managementEvent: Bool
    public var recipientAccountId: String
    /// `Management`.
    public var eventCategory: String
    public var tlsDetails: TLSDetails?
    /// What an `AwsServiceEvent` (ECR's lifecycle `PolicyExecutionEvent`) reports, in the event's own shape.
    public var serviceEventDetails: JSONValue?

    public init(
        eventVersion: String = CloudTrailRecord.currentEventVersion, userIdentity: UserIdentity, eventTime: Date, eventSource: String,
        eventName: String, awsRegion: String, sourceIPAddress: String, userAgent: String, errorCode: String? = nil, errorMessage: String? = nil,
        requestParameters: JSONValue? = nil, responseElements: JSONValue? = nil, requestID: String, eventID: String, readOnly: Bool,
        resources: [Resource]? = nil, eventType: String = "AwsApiCall", managementEvent: Bool = true, recipientAccountId: String,
        eventCategory: String = "Management", tlsDetails: TLSDetails? = nil, serviceEventDetails: JSONValue? = nil
    ) {
        self.init(
            eventVersion: eventVersion, userIdentity: userIdentity, eventTime: eventTime, eventSource: eventSource, eventName: eventName,
            awsRegion: awsRegion, sourceIPAddress: sourceIPAddress, userAgent: userAgent, errorCode: errorCode, errorMessage: errorMessage,
            requestParameters: requestParameters, responseElementsHeld: responseElements.map(DeferredJSON.init), requestID: requestID,
            eventID: eventID, readOnly: readOnly, resources: resources, eventType: eventType, managementEvent: managementEvent,
            recipientAccountId: recipientAccountId, eventCategory: eventCategory, tlsDetails: tlsDetails, serviceEventDetails: serviceEventDetails)
    }

    /// The same, with the response elements as held (an answer's text, kept unparsed).
    public init(
        eventVersion: String = CloudTrailRecord.currentEventVersion, userIdentity: UserIdentity, eventTime: Date, eventSource: String,
        eventName: String, awsRegion: String, sourceIPAddress: String, userAgent: String, errorCode: String? = nil, errorMessage: String? = nil,
        requestParameters: JSONValue? = nil, responseElementsHeld: DeferredJSON?, requestID: String, eventID: String, readOnly: Bool,
        resources: [Resource]? = nil, eventType: String = "AwsApiCall", managementEvent: Bool = true, recipientAccountId: String,
        eventCategory: String = "Management", tlsDetails: TLSDetails? = nil, serviceEventDetails: JSONValue? = nil
    ) {
        self.eventVersion = eventVersion
        self.userIdentity = userIdentity
        self.eventTime = eventTime
        self.eventSource = eventSource
        self.eventName = eventName
        self.awsRegion = awsRegion
        self.sourceIPAddress = sourceIPAddress
        self.userAgent = userAgent
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.requestParameters = requestParameters
        self.responseElementsHeld = responseElementsHeld
        self.requestID = requestID
        self.eventID = eventID
        self.readOnly = readOnly
        self.resources = resources
        self.eventType = eventType
        self.managementEvent = managementEvent
        self.recipientAccountId = recipientAccountId
        self.eventCategory = eventCategory
        self.tlsDetails = tlsDetails
        self.serviceEventDetails = serviceEventDetails
    }

    public static let currentEventVersion = "1.10"

    /// The record's members in CloudTrail's order; `responseElementsHeld` is written as `responseElements`.
    enum CodingKeys: String, CodingKey {
        case eventVersion, userIdentity, eventTime, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage
        case requestParameters
        case responseElementsHeld = "responseElements"
        case requestID, eventID, readOnly, resources, eventType, managementEvent, recipientAccountId, eventCategory, tlsDetails
        case serviceEventDetails
    }

    /// Who made the call.
    public struct UserIdentity: Codable, Hashable, Sendable {
        /// `IAMUser`, `AssumedRole`, `Root`, `AWSService`.
        public var type: String
        public var principalId: String?
        public var arn: String?
        public var accountId: String?
        public var accessKeyId: String?
        public var userName: String?
        public var sessionContext: SessionContext?
        /// For `AWSService` callers (e.g. `ecr.amazonaws.com` creating a pull-through cache repository).
        public var invokedBy: String?

        public init(
            type: String, principalId: String? = nil, arn: String? = nil, accountId: String? = nil, accessKeyId: String? = nil,
            userName: String? = nil, sessionContext: SessionContext? = nil, invokedBy: String? = nil
        ) {
            self.type = type
            self.principalId = principalId
            self.arn = arn
            self.accountId = accountId
            self.accessKeyId = accessKeyId
            self.userName = userName
            self.sessionContext = sessionContext
            self.invokedBy = invokedBy
        }
    }

    /// An assumed-role session: the role it was issued for and when.
    public struct SessionContext: Codable, Hashable, Sendable {
        public var sessionIssuer: SessionIssuer?
        public var attributes: Attributes

        public init(sessionIssuer: SessionIssuer? = nil, attributes: Attributes) {
            self.sessionIssuer = sessionIssuer
            self.attributes = attributes
        }

        public struct SessionIssuer: Codable, Hashable, Sendable {
            /// `Role`.
            public var type: String
            public var principalId: String
            public var arn: String
            public var accountId: String
            public var userName: String

            public init(type: String = "Role", principalId: String, arn: String, accountId: String, userName: String) {
                self.type = type
                self.principalId = principalId
                self.arn = arn
                self.accountId = accountId
                self.userName = userName
            }
        }

        public struct Attributes: Codable, Hashable, Sendable {
            /// ISO 8601 text, as CloudTrail writes it.
            public var creationDate: String
            /// `"true"` / `"false"`: a string in CloudTrail's records.
            public var mfaAuthenticated: String

            public init(creationDate: String, mfaAuthenticated: String = "false") {
                self.creationDate = creationDate
                self.mfaAuthenticated = mfaAuthenticated
            }
        }
    }

    /// A resource of the call, as `resources[]` lists it.
    public struct Resource: Codable, Hashable, Sendable {
        public var accountId: String?
        public var type: String?
        public var arn: String?

        public init(accountId: String? = nil, type: String? = nil, arn: String? = nil) {
            self.accountId = accountId
            self.type = type
            self.arn = arn
        }

        enum CodingKeys: String, CodingKey {
            case accountId, type
            case arn = "ARN"
        }
    }

    public struct TLSDetails: Codable, Hashable, Sendable {
        public var tlsVersion: String
        public var cipherSuite: String
        public var clientProvidedHostHeader: String

        public init(tlsVersion: String, cipherSuite: String, clientProvidedHostHeader: String) {
            self.tlsVersion = tlsVersion
            self.cipherSuite = cipherSuite
            self.clientProvidedHostHeader = clientProvidedHostHeader
        }
    }
}

extension CloudTrailRecord {
    /// The encoder of the record text (`CloudTrailEvent`): ISO 8601 times to the second, as CloudTrail writes them.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timeText(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Self.date(fromText: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time: \(text)")
            }
            return date
        }
        return decoder
    }

    /// The record as LookupEvents' `CloudTrailEvent` string.
    public func jsonText() throws -> String {
        String(decoding: try Self.encoder().encode(self), as: UTF8.self)
    }

    /// A `CloudTrailEvent` string read back.
    public init(jsonText: String) throws {
        self = try Self.decoder().decode(CloudTrailRecord.self, from: Data(jsonText.utf8))
    }

    /// `2026-12-02T01:02:03Z`: CloudTrail's time text.
    public static func timeText(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// A record's time text read back (with or without fractional seconds).
    public static func date(fromText text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// The event sources LabCheck records and reads.
public enum CloudTrailEventSource {
    public static let ecr = "ecr.amazonaws.com"
    public static let sts = "sts.amazonaws.com"
    public static let cloudTrail = "cloudtrail.amazonaws.com"
    public static let iam = "iam.amazonaws.com"
}
