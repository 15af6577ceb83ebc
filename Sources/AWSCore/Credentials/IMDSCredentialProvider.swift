import AsyncHTTPClient
import Foundation

/// Credentials of the EC2 instance's IAM role from the instance metadata service (IMDSv2):
/// `GET /latest/meta-data/iam/security-credentials/` gives the role name, then `.../<role>` the keys.
/// Every call asks the service: wrap the provider in a `CachingCredentialProvider` (the default chain does)
/// to keep the keys until 5 minutes before `Expiration` and share one fetch among concurrent callers.
public struct IMDSCredentialProvider: CredentialProvider {
    public let name = "imds"
    public let client: IMDSClient

    static let credentialsPath = "latest/meta-data/iam/security-credentials/"

    public init(client: IMDSClient) {
        self.client = client
    }

    /// A provider with its own `IMDSClient` over the shared `httpClient` (`now` is the clock of its token cache).
    public init(httpClient: HTTPClient, environment: [String: String], now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(client: IMDSClient(httpClient: httpClient, environment: environment, now: now))
    }

    public func credentials() async throws -> Credentials {
        try await Self.fetch(client: client, provider: name)
    }

    static func fetch(client: IMDSClient, provider: String) async throws -> Credentials {
        let roleName: String
        do {
            let listing = try await client.get(credentialsPath)
            guard let first = listing.split(whereSeparator: \.isNewline).first.map(String.init), !first.isEmpty else {
                throw CredentialProviderError.notFound(provider: provider, reason: "no IAM role attached to the instance")
            }
            roleName = first.trimmingCharacters(in: .whitespaces)
        } catch let error as IMDSError {
            if case .httpStatus(_, 404) = error {
                throw CredentialProviderError.notFound(provider: provider, reason: "no IAM role attached to the instance (\(error))")
            }
            throw classify(error, provider: provider)
        }
        let document: String
        do {
            document = try await client.get(credentialsPath + roleName)
        } catch let error as IMDSError {
            throw classify(error, provider: provider)
        }
        let where_ = "role '\(roleName)'"
        guard let object = try? JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any] else {
            throw CredentialProviderError.failed(provider: provider, reason: "\(where_): the answer (\(document.utf8.count) bytes) is not a JSON object")
        }
        if let code = object["Code"] as? String, code != "Success" {
            let message = object["Message"] as? String ?? ""
            throw CredentialProviderError.failed(provider: provider, reason: "\(where_): the service answered Code \(code) \(message)")
        }
        var missing: [String] = []
        func field(_ key: String) -> String {
            guard let value = object[key] as? String, !value.isEmpty else {
                missing.append(key)
                return ""
            }
            return value
        }
        let accessKey = field("AccessKeyId")
        let secret = field("SecretAccessKey")
        let token = field("Token")
        let expirationText = field("Expiration")
        guard missing.isEmpty else {
            throw CredentialProviderError.failed(provider: provider, reason: "\(where_): the answer lacks \(missing.joined(separator: ", "))")
        }
        guard let expiration = CredentialDates.parse(expirationText) else {
            throw CredentialProviderError.failed(
                provider: provider, reason: "\(where_): Expiration: expected an ISO 8601 time, found '\(expirationText)'")
        }
        return Credentials(
            accessKeyId: accessKey, secretAccessKey: secret, sessionToken: token, expiration: expiration,
            source: "imds:\(roleName)")
    }

    /// Not on EC2, disabled or unreachable: the chain moves on. Other answers are failures.
    static func classify(_ error: IMDSError, provider: String) -> CredentialProviderError {
        switch error {
        case .disabled, .unreachable: return .notFound(provider: provider, reason: error.description)
        case .invalidEndpoint, .httpStatus, .badResponse: return .failed(provider: provider, reason: error.description)
        }
    }
}
