import Foundation

/// A set of AWS credentials. The secret parts never appear in `description`,
/// `debugDescription`, logs or error messages.
public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-lived keys.
    public var expiration: Date?
    /// Which provider produced these credentials (e.g. "environment", "shared-credentials-file:default").
    public var source: String

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil, source: String = "static") {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    /// True when the credentials expire within `margin` seconds of `now`.
    public func isExpiring(within margin: TimeInterval, now: Date = Date()) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) <= margin
    }

    public var description: String {
        var parts = ["accessKeyId: \(accessKeyId)", "secretAccessKey: <redacted>"]
        if sessionToken != nil { parts.append("sessionToken: <redacted>") }
        if let expiration { parts.append("expiration: \(ISO8601DateFormatter().string(from: expiration))") }
        parts.append("source: \(source)")
        return "Credentials(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }
}

/// Anything that can produce credentials: environment, files, STS, a process, IMDS, a chain of them.
public protocol CredentialProvider: Sendable {
    /// A short name for error messages ("environment", "imds", ...).
    var name: String { get }
    /// The current credentials. Throws `CredentialProviderError.notFound` when this source has none,
    /// so that a chain moves on; any other error stops the chain.
    func credentials() async throws -> Credentials
}

/// Why a credential provider produced nothing.
public enum CredentialProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// This source is not configured (no variables, no file, no profile): a chain tries the next one.
    case notFound(provider: String, reason: String)
    /// The source is configured but broken (bad file, STS refused, process failed).
    case failed(provider: String, reason: String)
    /// No provider of a chain found credentials; lists each provider tried and why it had none.
    case noCredentials(tried: [String])

    public var description: String {
        switch self {
        case .notFound(let provider, let reason): return "\(provider): \(reason)"
        case .failed(let provider, let reason): return "credentials from \(provider) failed: \(reason)"
        case .noCredentials(let tried):
            return "no AWS credentials found; tried: " + tried.joined(separator: "; ")
        }
    }
}

/// A provider that always returns the same credentials.
public struct StaticCredentialProvider: CredentialProvider {
    public let name = "static"
    private let value: Credentials
    public init(_ credentials: Credentials) { self.value = credentials }
    public func credentials() async throws -> Credentials { value }
}
