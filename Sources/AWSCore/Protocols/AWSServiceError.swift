import Foundation

/// An error answered by an AWS service (or a fake of one): the service's error code and message,
/// the HTTP status and the request id to quote to AWS support.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var httpStatus: Int
    public var requestId: String?
    /// The operation that failed, e.g. "ecr:DescribeRepositories".
    public var operation: String?

    public init(code: String, message: String, httpStatus: Int, requestId: String? = nil, operation: String? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.requestId = requestId
        self.operation = operation
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let operation { text = "\(operation) failed: " + text }
        text += " (HTTP \(httpStatus)"
        if let requestId { text += ", request id \(requestId)" }
        return text + ")"
    }

    /// Codes that the SDKs' standard retry mode treats as throttling.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]
    /// Codes that the standard retry mode treats as transient.
    public static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable"]

    public var isThrottling: Bool { Self.throttlingCodes.contains(code) || httpStatus == 429 }
    public var isRetryable: Bool { isThrottling || Self.transientCodes.contains(code) || httpStatus >= 500 }
    public var isAccessDenied: Bool {
        ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException",
         "InvalidSignatureException", "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch"].contains(code)
    }
}
