import Foundation
import NIOHTTP1

/// An error answered by an AWS service (or a fake of one): the service's error code and message,
/// the HTTP status and the request id to quote to AWS support. The message has passed through
/// `SecretRedactor` (secret-looking values removed, length capped): a service that echoes a token
/// cannot get it into a report.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var httpStatus: Int
    public var requestId: String?
    /// The operation that failed, e.g. "ecr:DescribeRepositories".
    public var operation: String?

    public init(code: String, message: String, httpStatus: Int, requestId: String? = nil, operation: String? = nil) {
        self.code = SecretRedactor.redact(code, limit: Self.codeLimit)
        // A generous cap here; `AWSClient` cuts to `SecretRedactor.defaultLimit` once the request's own
        // secrets are removed too.
        self.message = SecretRedactor.redact(message, limit: Self.messageLimit)
        self.httpStatus = httpStatus
        self.requestId = requestId
        self.operation = operation
    }

    /// An answer that does not have the shape of the operation's output (empty, unreadable, a member
    /// missing): code `InvalidResponse`, category `.invalidResponse`.
    public static func invalidResponse(_ message: String, operation: String?, httpStatus: Int = 200, requestId: String? = nil) -> AWSServiceError {
        AWSServiceError(code: invalidResponseCode, message: message, httpStatus: httpStatus, requestId: requestId, operation: operation)
    }

    public static let invalidResponseCode = "InvalidResponse"
    static let codeLimit = 200
    static let messageLimit = 4 * SecretRedactor.defaultLimit

    /// The error for a non-2xx answer that does not say which error it is (empty, HTML from a proxy):
    /// `InternalFailure` for a 5xx, `HTTP<status>` otherwise, with the status and the start of the body.
    public init(unreadableAnswer response: AWSHTTPResponse) {
        let phrase = HTTPResponseStatus(statusCode: response.status).reasonPhrase
        let status = "HTTP \(response.status)" + (phrase.isEmpty ? "" : " " + phrase)
        let text = String(decoding: response.body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        self.init(
            code: response.status >= 500 ? "InternalFailure" : "HTTP\(response.status)",
            message: text.isEmpty ? "\(status) with an empty body" : "\(status): \(text)",
            httpStatus: response.status, requestId: response.requestId)
    }

    /// The same error with the exact values of `redactor` (the request's secret key and token) removed too.
    public func redacted(with redactor: SecretRedactor) -> AWSServiceError {
        var copy = self
        copy.code = SecretRedactor(secrets: redactor.secrets, limit: Self.codeLimit).redact(code)
        copy.message = redactor.redact(message)
        return copy
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
    /// The caller is known but not allowed (an IAM policy lacks the action): `category == .accessDenied`.
    /// Signature, unknown-key and expired-token errors are `.authentication`, not this.
    public var isAccessDenied: Bool { category == .accessDenied }
    /// The request's credentials or signature were refused: `category == .authentication`.
    public var isAuthenticationFailure: Bool { category == .authentication }
}
