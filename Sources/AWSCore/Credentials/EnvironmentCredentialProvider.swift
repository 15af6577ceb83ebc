import Foundation

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`
/// (or the legacy `AWS_SECURITY_TOKEN`) and `AWS_CREDENTIAL_EXPIRATION`, read from the given dictionary.
public struct EnvironmentCredentialProvider: CredentialProvider {
    public let name = "environment"
    private let environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func credentials() async throws -> Credentials {
        try load()
    }

    func load() throws -> Credentials {
        guard let accessKey = value("AWS_ACCESS_KEY_ID") else {
            throw CredentialProviderError.notFound(provider: name, reason: "AWS_ACCESS_KEY_ID not set")
        }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw CredentialProviderError.failed(
                provider: name, reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not (partial credentials)")
        }
        var expiration: Date?
        if let text = value("AWS_CREDENTIAL_EXPIRATION") {
            guard let date = CredentialDates.parse(text) else {
                throw CredentialProviderError.failed(
                    provider: name,
                    reason: "AWS_CREDENTIAL_EXPIRATION: expected an ISO 8601 time such as 2025-01-31T12:00:00Z, found '\(text)'")
            }
            expiration = date
        }
        return Credentials(
            accessKeyId: accessKey, secretAccessKey: secret,
            sessionToken: value("AWS_SESSION_TOKEN") ?? value("AWS_SECURITY_TOKEN"),
            expiration: expiration, source: name)
    }

    private func value(_ variable: String) -> String? {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        return value
    }
}
