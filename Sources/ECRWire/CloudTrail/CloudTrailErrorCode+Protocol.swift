/// Error codes that CloudTrail's LookupEvents answers but its model does not list for it: those of the AWS JSON
/// protocol, of request authentication and of the account's quota and permissions, common to AWS services
/// (the same words as ECR's, see ECRErrorCode+Protocol.swift).
extension CloudTrailErrorCode {
    public static let serialization = CloudTrailErrorCode(rawValue: ECRErrorCode.serialization.rawValue)
    public static let unknownOperation = CloudTrailErrorCode(rawValue: ECRErrorCode.unknownOperation.rawValue)
    public static let unrecognizedClient = CloudTrailErrorCode(rawValue: ECRErrorCode.unrecognizedClient.rawValue)
    public static let invalidSignature = CloudTrailErrorCode(rawValue: ECRErrorCode.invalidSignature.rawValue)
    /// Above 2 requests per second per account and region ("Rate exceeded").
    public static let throttling = CloudTrailErrorCode(rawValue: ECRErrorCode.throttling.rawValue)
    /// The caller may not `cloudtrail:LookupEvents`.
    public static let accessDenied = CloudTrailErrorCode(rawValue: ECRErrorCode.accessDenied.rawValue)
}
