/// Error codes that ECR answers but its model does not list: those of the AWS JSON protocol and
/// of request authentication, common to AWS services.
extension ECRErrorCode {
    /// The body is not JSON, or not of the operation's shape.
    public static let serialization = ECRErrorCode(rawValue: "SerializationException")
    /// `X-Amz-Target` names no operation of the service.
    public static let unknownOperation = ECRErrorCode(rawValue: "UnknownOperationException")
    public static let missingAuthenticationToken = ECRErrorCode(rawValue: "MissingAuthenticationTokenException")
    public static let incompleteSignature = ECRErrorCode(rawValue: "IncompleteSignatureException")
    public static let unrecognizedClient = ECRErrorCode(rawValue: "UnrecognizedClientException")
    public static let invalidSignature = ECRErrorCode(rawValue: "InvalidSignatureException")
    public static let expiredToken = ECRErrorCode(rawValue: "ExpiredTokenException")
    public static let accessDenied = ECRErrorCode(rawValue: "AccessDeniedException")
    public static let throttling = ECRErrorCode(rawValue: "ThrottlingException")
    /// The service cannot take requests now (HTTP 503).
    public static let serviceUnavailable = ECRErrorCode(rawValue: "ServiceUnavailableException")
}
