import Foundation

/// Keeps the credentials of an inner provider (STS, IMDS, `credential_process`) until shortly before
/// they expire, and shares one refresh among concurrent callers, as the SDKs' refreshing providers do.
///
/// - Credentials without an `expiration` are kept for the provider's lifetime.
/// - Credentials within `refreshMargin` of their expiration are fetched again on the next call.
/// - While a fetch is running, every other caller waits for that same fetch; its error (e.g. `notFound`,
///   so that a chain moves on) reaches all of them and nothing is cached.
public actor CachingCredentialProvider: CredentialProvider {
    public nonisolated let name: String
    public nonisolated let inner: any CredentialProvider
    public nonisolated let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: Credentials?
    private var inFlight: Task<Credentials, any Error>?

    /// - Parameters:
    ///   - refreshMargin: how long before `expiration` cached credentials are fetched again (the SDKs' 5 minutes).
    ///   - now: the clock (tests move it).
    public init(
        _ inner: any CredentialProvider, refreshMargin: TimeInterval = credentialRefreshMargin,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.inner = inner
        self.name = inner.name
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func credentials() async throws -> Credentials {
        if let cached, !cached.isExpiring(within: refreshMargin, now: now()) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { [inner] in try await inner.credentials() }
        inFlight = task
        do {
            let fresh = try await task.value
            cached = fresh
            inFlight = nil
            return fresh
        } catch {
            inFlight = nil
            throw error
        }
    }

    /// Forgets the cached credentials: the next call fetches again (e.g. after the service refused them).
    public func invalidate() {
        cached = nil
    }
}
