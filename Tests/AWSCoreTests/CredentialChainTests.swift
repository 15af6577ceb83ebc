import AWSCore
import AsyncHTTPClient
import Foundation
import Testing

@Suite("Credentials: the default chain")
struct CredentialChainTests {
    static let environmentKeys = ["AWS_ACCESS_KEY_ID": "AKIAENVCHAIN", "AWS_SECRET_ACCESS_KEY": "envChainSecret"]

    static let configText = """
        [default]
        region = us-east-1

        [profile static]
        aws_access_key_id = AKIACFGSTATIC
        aws_secret_access_key = cfgStaticSecret

        [profile role]
        role_arn = arn:aws:iam::111111111111:role/grader
        source_profile = static

        [profile role-and-keys]
        role_arn = arn:aws:iam::111111111111:role/both
        source_profile = static
        aws_access_key_id = AKIAROLEKEYS
        aws_secret_access_key = roleKeysSecret

        [profile keys-and-process]
        aws_access_key_id = AKIAKEYSPROC
        aws_secret_access_key = keysProcSecret
        credential_process = printf '{"Version":1,"AccessKeyId":"AKIAPROCESS","SecretAccessKey":"x"}'

        [profile process]
        credential_process = printf '{"Version":1,"AccessKeyId":"AKIAPROCESS","SecretAccessKey":"x"}'

        [profile empty]
        region = eu-west-1
        """

    static let credentialsText = """
        [default]
        aws_access_key_id = AKIACREDDEFAULT
        aws_secret_access_key = credDefaultSecret

        [static]
        aws_access_key_id = AKIACREDSTATIC
        aws_secret_access_key = credStaticSecret
        """

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var profile: String?
        var environment: [String: String]
        var withCredentialsFile = true
        var expected: String
        var description: String { name }
    }

    static let rows: [Row] = [
        Row(name: "environment wins with no --profile", profile: nil, environment: environmentKeys, expected: "AKIAENVCHAIN"),
        Row(name: "AWS_PROFILE does not disable the environment", profile: nil,
            environment: environmentKeys.merging(["AWS_PROFILE": "static"]) { a, _ in a }, expected: "AKIAENVCHAIN"),
        Row(name: "explicit --profile skips the environment", profile: "static", environment: environmentKeys, expected: "AKIACREDSTATIC"),
        Row(name: "default profile from the credentials file", profile: nil, environment: [:], expected: "AKIACREDDEFAULT"),
        Row(name: "AWS_PROFILE selects a profile", profile: nil, environment: ["AWS_PROFILE": "static"], expected: "AKIACREDSTATIC"),
        Row(name: "config-file keys when the credentials file lacks them", profile: "static", environment: [:],
            withCredentialsFile: false, expected: "AKIACFGSTATIC"),
        Row(name: "assume-role profile", profile: "role", environment: [:], expected: "ASIAGRADER1"),
        Row(name: "assume-role before static keys of the same profile", profile: "role-and-keys", environment: [:], expected: "ASIABOTH1"),
        Row(name: "static keys before credential_process", profile: "keys-and-process", environment: [:], expected: "AKIAKEYSPROC"),
        Row(name: "credential_process", profile: "process", environment: [:], expected: "AKIAPROCESS"),
    ]

    static func setUp(_ home: TempHome, credentialsFile: Bool) throws {
        try home.config(configText)
        if credentialsFile { try home.credentials(credentialsText) }
    }

    @Test("the AWS CLI's order", arguments: rows)
    func chainOrder(row: Row) async throws {
        let home = try TempHome()
        defer { home.remove() }
        try Self.setUp(home, credentialsFile: row.withCredentialsFile)
        let environment = home.environment(row.environment)
        let config = try home.load(environment)
        let sts = StubRoleAssumer(clock: TestClock(Date()))
        let chain = DefaultCredentialChain.make(
            profile: row.profile, environment: environment, config: config, httpClient: HTTPClient.shared, roleAssumer: sts)
        let credentials = try await chain.credentials()
        #expect(credentials.accessKeyId == row.expected)
    }

    @Test("the provider order and names")
    func providerNames() throws {
        let home = try TempHome()
        defer { home.remove() }
        let environment = home.environment()
        let config = try home.load(environment)
        let implicit = DefaultCredentialChain.make(
            profile: nil, environment: environment, config: config, httpClient: HTTPClient.shared, roleAssumer: nil)
        #expect(implicit.providerNames == [
            "environment", "assume-role (profile 'default')", "shared credentials file \(home.credentialsPath)",
            "credential_process (profile 'default')", "imds",
        ])
    }

    @Test("nothing found lists every source and why")
    func noCredentials() async throws {
        let home = try TempHome()
        defer { home.remove() }
        try Self.setUp(home, credentialsFile: true)
        let environment = home.environment(["AWS_PROFILE": "empty"])
        let chain = DefaultCredentialChain.make(
            profile: nil, environment: environment, config: try home.load(environment), httpClient: HTTPClient.shared, roleAssumer: nil)
        let error = await #expect(throws: CredentialProviderError.self) { try await chain.credentials() }
        #expect(error == .noCredentials(tried: [
            "environment: AWS_ACCESS_KEY_ID not set",
            "assume-role (profile 'empty'): profile 'empty' has no role_arn",
            "shared credentials file \(home.credentialsPath): profile 'empty' has no aws_access_key_id",
            "credential_process (profile 'empty'): profile 'empty' has no credential_process",
            "imds: disabled by AWS_EC2_METADATA_DISABLED",
        ]))
        #expect(error?.description.hasPrefix("no AWS credentials found; tried: environment: AWS_ACCESS_KEY_ID not set; ") == true)

        let bare = try TempHome()
        defer { bare.remove() }
        let bareChain = DefaultCredentialChain.make(
            profile: nil, environment: bare.environment(), config: try bare.load(), httpClient: HTTPClient.shared, roleAssumer: nil)
        let bareError = await #expect(throws: CredentialProviderError.self) { try await bareChain.credentials() }
        guard case .noCredentials(let tried)? = bareError else {
            Issue.record("expected .noCredentials, got \(String(describing: bareError))")
            return
        }
        #expect(tried.contains("shared credentials file \(bare.credentialsPath): no profile 'default'"))
    }

    @Test("a named profile that does not exist is the CLI's error, from --profile or AWS_PROFILE")
    func missingNamedProfile() async throws {
        let home = try TempHome()
        defer { home.remove() }
        try Self.setUp(home, credentialsFile: true)
        for (profile, extra) in [("ghost", [String: String]()), (nil, ["AWS_PROFILE": "ghost"])] as [(String?, [String: String])] {
            let environment = home.environment(extra.merging(Self.environmentKeys) { a, _ in a })
            let chain = DefaultCredentialChain.make(
                profile: profile, environment: environment, config: try home.load(environment), httpClient: HTTPClient.shared, roleAssumer: nil)
            await #expect(throws: AWSConfigError.profileNotFound("ghost")) { try await chain.credentials() }
        }
    }

    @Test("a failure (partial keys) stops the chain instead of moving on")
    func failureStops() async throws {
        let chain = CredentialChain(providers: [
            EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIA1"]),
            StaticCredentialProvider(Credentials(accessKeyId: "AKIASTATIC", secretAccessKey: "s")),
        ])
        let error = await #expect(throws: CredentialProviderError.self) { try await chain.credentials() }
        guard case .failed? = error else {
            Issue.record("expected .failed, got \(String(describing: error))")
            return
        }
    }
}
