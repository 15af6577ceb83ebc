/// Error codes that CloudTrail answers but its model does not list: those of the AWS JSON protocol and
/// of request authentication, common to AWS services (the same words as ECR's, see ECRErrorCode+Protocol.swift).
extension CloudTrailErrorCode {
    public static let serialization = CloudTrailErrorCode(rawValue: ECRErrorCode.serialization.rawValue)
    public static let unknownOperation = CloudTrailErrorCode(rawValue: ECRErrorCode.unknownOperation.rawValue)
    public static let unrecognizedClient = CloudTrailErrorCode(rawValue: ECRErrorCode.unrecognizedClient.rawValue)
    public static let invalidSignature = CloudTrailErrorCode(rawValue: ECRErrorCode.invalidSignature.rawValue)
}
