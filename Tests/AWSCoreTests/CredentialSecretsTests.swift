import AWSCore
import AsyncHTTPClient
import Foundation
import Testing

/// Secret keys and session tokens must never appear in a description, a profile dump or an error.
@Suite("Credentials: secrets never leak")
struct CredentialSecretsTests {
    static let secrets = ["leakySecretKey0123456789", "leakySessionToken0123456789", "leakyProcSecret0123456789"]

    static func assertClean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets {
            #expect(!text.contains(secret), "\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test("descriptions of credentials and profiles")
    func descriptions() throws {
        let credentials = Credentials(accessKeyId: "AKIA1", secretAccessKey: Self.secrets[0], sessionToken: Self.secrets[1])
        Self.assertClean("\(credentials) \(String(reflecting: credentials))")
        let config = try AWSSharedConfig.parse(
            config: "[default]\naws_secret_access_key = \(Self.secrets[0])\naws_session_token = \(Self.secrets[1])\n", configPath: "/c",
            credentials: nil, credentialsPath: nil)
        let profile = try #require(config.profile(named: "default"))
        Self.assertClean("\(profile)")
        #expect("\(profile)".contains("aws_secret_access_key = <redacted>"))
    }

    @Test("errors from every provider and resolver")
    func errors() async throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.config("""
            [profile partial]
            aws_secret_access_key = \(Self.secrets[0])
            aws_session_token = \(Self.secrets[1])
            [profile proc-bad-json]
            credential_process = printf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"\(Self.secrets[2])","Expiration":"x"}'
            [profile proc-fail]
            credential_process = printf '{"SecretAccessKey":"\(Self.secrets[2])"}'; exit 1
            [profile proc-version]
            credential_process = printf '{"Version":"\(Self.secrets[2])"}'
            [profile role]
            role_arn = arn:aws:iam::1:role/r
            source_profile = keys
            [profile keys]
            aws_access_key_id = AKIAKEYS
            aws_secret_access_key = \(Self.secrets[0])
            aws_session_token = \(Self.secrets[1])
            """)
        try home.credentials("[broken]\naws_access_key_id = A\n\(Self.secrets[0])\n")
        var messages: [String] = []
        // The credentials file is malformed: the error must not echo the line.
        do {
            _ = try home.load()
        } catch {
            messages.append("\(error)")
        }
        try home.credentials("")
        let environment = home.environment(["AWS_SECRET_ACCESS_KEY": Self.secrets[0], "AWS_SESSION_TOKEN": Self.secrets[1]])
        let config = try home.load(environment)
        let denied = AWSServiceError(code: "AccessDenied", message: "denied", httpStatus: 403)
        let providers: [any CredentialProvider] = [
            EnvironmentCredentialProvider(environment: environment),
            EnvironmentCredentialProvider(environment: environment.merging(["AWS_ACCESS_KEY_ID": "A", "AWS_CREDENTIAL_EXPIRATION": "bad"]) { _, b in b }),
            ProfileCredentialProvider(profileName: "partial", config: config),
            ProcessCredentialProvider(profileName: "proc-bad-json", config: config, environment: environment),
            ProcessCredentialProvider(profileName: "proc-fail", config: config, environment: environment),
            ProcessCredentialProvider(profileName: "proc-version", config: config, environment: environment),
            AssumeRoleCredentialProvider(profileName: "role", config: config, environment: environment,
                                         roleAssumer: StubRoleAssumer(clock: TestClock(), failure: denied)),
            IMDSCredentialProvider(httpClient: HTTPClient.shared, environment: environment),
            DefaultCredentialChain.make(profile: "partial", environment: environment, config: config, httpClient: HTTPClient.shared, roleAssumer: nil),
            DefaultCredentialChain.make(profile: nil, environment: ["HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true"],
                                        config: config, httpClient: HTTPClient.shared, roleAssumer: nil),
        ]
        for provider in providers {
            do {
                let credentials = try await provider.credentials()
                messages.append("\(credentials)")
            } catch {
                messages.append("\(error)")
                messages.append(String(reflecting: error))
                messages.append(error.localizedDescription)
            }
        }
        #expect(messages.count >= 25)
        for message in messages { Self.assertClean(message) }
    }
}
