import Foundation

/// Tries providers in order. A provider that throws `CredentialProviderError.notFound` is skipped;
/// any other error stops the chain. When none has credentials, throws `.noCredentials(tried:)` listing
/// each source and why it had none. Once a provider has answered, later calls go straight to it
/// (as the SDKs' default chains do), so an absent IMDS is not probed again on every request.
public actor CredentialChain: CredentialProvider {
    public nonisolated let name: String
    public nonisolated let providers: [any CredentialProvider]
    /// An error to throw before trying anything (e.g. `--profile` naming a profile that does not exist).
    private let configurationError: (any Error)?
    private var winner: Int?

    public init(providers: [any CredentialProvider], name: String = "credential chain") {
        self.providers = providers
        self.name = name
        self.configurationError = nil
    }

    /// A chain that always fails with `error` (a configuration problem found while building it).
    public init(failing error: any Error, name: String = "credential chain") {
        self.providers = []
        self.name = name
        self.configurationError = error
    }

    /// The names of the providers, in order.
    public nonisolated var providerNames: [String] { providers.map(\.name) }

    public func credentials() async throws -> Credentials {
        if let configurationError { throw configurationError }
        if let winner { return try await providers[winner].credentials() }
        var tried: [String] = []
        for (index, provider) in providers.enumerated() {
            do {
                let credentials = try await provider.credentials()
                winner = index
                return credentials
            } catch CredentialProviderError.notFound(let source, let reason) {
                tried.append("\(source): \(reason)")
            }
        }
        throw CredentialProviderError.noCredentials(tried: tried)
    }
}
