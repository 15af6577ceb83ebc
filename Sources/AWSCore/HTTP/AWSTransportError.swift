import Foundation

/// A request that got no HTTP answer: connection refused, DNS, TLS, timeout.
public struct AWSTransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case connectionFailed
        case timedOut
        case responseTooLarge
        case other
    }

    public var kind: Kind
    /// The operation, e.g. "ecr:DescribeRepositories".
    public var operation: String
    /// Scheme, host and port that were tried (never a query string or credentials).
    public var endpoint: String
    /// What went wrong, through `SecretRedactor` (secret-looking values removed, length capped).
    public var reason: String

    public init(kind: Kind, operation: String, endpoint: String, reason: String) {
        self.kind = kind
        self.operation = operation
        self.endpoint = endpoint
        self.reason = SecretRedactor.redact(reason)
    }

    public var description: String {
        switch kind {
        case .timedOut: "\(operation): no answer from \(endpoint) in time (\(reason))"
        case .connectionFailed: "\(operation): could not connect to \(endpoint) (\(reason))"
        case .responseTooLarge: "\(operation): answer from \(endpoint) too large (\(reason))"
        case .other: "\(operation): request to \(endpoint) failed (\(reason))"
        }
    }
}
