import Foundation

/// Long-lived keys written in a profile (`aws_access_key_id`, `aws_secret_access_key`, optional
/// `aws_session_token`), from the credentials file or the config file (credentials file wins).
public struct ProfileCredentialProvider: CredentialProvider {
    public let name: String
    public let profileName: String
    private let config: AWSSharedConfig

    public init(profileName: String, config: AWSSharedConfig) {
        self.profileName = profileName
        self.config = config
        self.name = "shared credentials file \(config.credentialsFilePath ?? "(none)")"
    }

    public func credentials() async throws -> Credentials {
        try load()
    }

    func load() throws -> Credentials {
        guard let profile = config.profile(named: profileName) else {
            throw CredentialProviderError.notFound(provider: name, reason: "no profile '\(profileName)'")
        }
        guard let accessKey = profile["aws_access_key_id"], !accessKey.isEmpty else {
            if profile["aws_secret_access_key"] != nil {
                throw CredentialProviderError.failed(
                    provider: name,
                    reason: "\(profile.describeLocation(of: "aws_secret_access_key")) is set but aws_access_key_id is not (partial credentials)")
            }
            throw CredentialProviderError.notFound(provider: name, reason: "profile '\(profileName)' has no aws_access_key_id")
        }
        guard let secret = profile["aws_secret_access_key"], !secret.isEmpty else {
            throw CredentialProviderError.failed(
                provider: name,
                reason: "\(profile.describeLocation(of: "aws_access_key_id")) is set but aws_secret_access_key is not (partial credentials)")
        }
        let fromCredentialsFile = config.credentialsProfiles[profileName]?.settings["aws_access_key_id"] != nil
        let token = profile["aws_session_token"] ?? profile["aws_security_token"]
        return Credentials(
            accessKeyId: accessKey, secretAccessKey: secret,
            sessionToken: (token?.isEmpty ?? true) ? nil : token,
            source: (fromCredentialsFile ? "shared-credentials-file:" : "config-file:") + profileName)
    }
}
