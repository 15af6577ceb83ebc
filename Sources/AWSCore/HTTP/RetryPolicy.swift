import Foundation

/// The SDKs' "standard" retry mode: a bounded number of attempts, exponential backoff with full jitter,
/// retrying throttling and transient errors (5xx, connection failures) but never a 4xx client error.
public struct RetryPolicy: Sendable {
    /// Total attempts, the first included (standard mode: 3).
    public var maxAttempts: Int
    /// The backoff base: attempt `n` (0-based) waits a random time in `0 ..< min(base * 2^n, maxBackoff)`.
    public var baseDelay: TimeInterval
    public var maxBackoff: TimeInterval
    /// A random fraction in [0, 1) for the jitter; injectable so tests can make it deterministic.
    public var jitter: @Sendable () -> Double

    public init(maxAttempts: Int = 3, baseDelay: TimeInterval = 1, maxBackoff: TimeInterval = 20, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxBackoff = maxBackoff
        self.jitter = jitter
    }

    public static let standard = RetryPolicy()
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before retry number `attempt` (0 = the wait after the first failure).
    public func delay(beforeRetry attempt: Int) -> TimeInterval {
        let ceiling = min(baseDelay * pow(2, Double(attempt)), maxBackoff)
        return jitter() * ceiling
    }

    /// Whether an error of an attempt is worth another attempt.
    public func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case let error as AWSServiceError: error.isRetryable
        case let error as AWSTransportError: error.kind != .responseTooLarge
        case is CancellationError: false
        default: false
        }
    }
}
