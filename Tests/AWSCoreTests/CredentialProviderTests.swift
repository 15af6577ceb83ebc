import AWSCore
import Foundation
import Testing

@Suite("Credentials: environment, profile and process providers")
struct CredentialProviderTests {
    @Test("environment variables, with session token and expiration")
    func environment() async throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENV0000000000001", "AWS_SECRET_ACCESS_KEY": "envSecret",
            "AWS_SESSION_TOKEN": "envToken", "AWS_CREDENTIAL_EXPIRATION": "2030-01-02T03:04:05Z",
        ])
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyId == "AKIAENV0000000000001")
        #expect(credentials.secretAccessKey == "envSecret")
        #expect(credentials.sessionToken == "envToken")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_553_445))
        #expect(credentials.source == "environment")

        let legacy = try await EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIA1", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SECURITY_TOKEN": "legacy",
        ]).credentials()
        #expect(legacy.sessionToken == "legacy")
    }

    @Test("environment: absent is notFound, partial or bad expiration is failed")
    func environmentErrors() async throws {
        await #expect(throws: CredentialProviderError.notFound(provider: "environment", reason: "AWS_ACCESS_KEY_ID not set")) {
            try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": ""]).credentials()
        }
        let partial = await #expect(throws: CredentialProviderError.self) {
            try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIA1"]).credentials()
        }
        #expect(partial.map { "\($0)" }?.contains("AWS_SECRET_ACCESS_KEY") == true)
        let badDate = await #expect(throws: CredentialProviderError.self) {
            try await EnvironmentCredentialProvider(environment: [
                "AWS_ACCESS_KEY_ID": "AKIA1", "AWS_SECRET_ACCESS_KEY": "s", "AWS_CREDENTIAL_EXPIRATION": "tomorrow",
            ]).credentials()
        }
        #expect(badDate.map { "\($0)" }?.contains("AWS_CREDENTIAL_EXPIRATION") == true)
    }

    @Test("profile keys: credentials file, config file, partial keys")
    func profileKeys() async throws {
        let config = try AWSSharedConfig.parse(
            config: """
                [profile cfg]
                aws_access_key_id = AKIACFG
                aws_secret_access_key = cfgSecret
                aws_session_token = cfgToken
                [profile half]
                aws_access_key_id = AKIAHALF
                [profile nokeys]
                region = us-east-1
                """, configPath: "/home/u/.aws/config",
            credentials: "[default]\naws_access_key_id = AKIADEF\naws_secret_access_key = defSecret\n",
            credentialsPath: "/home/u/.aws/credentials")
        let fromCredentials = try await ProfileCredentialProvider(profileName: "default", config: config).credentials()
        #expect(fromCredentials.accessKeyId == "AKIADEF")
        #expect(fromCredentials.source == "shared-credentials-file:default")
        let fromConfig = try await ProfileCredentialProvider(profileName: "cfg", config: config).credentials()
        #expect(fromConfig.sessionToken == "cfgToken")
        #expect(fromConfig.source == "config-file:cfg")

        let missing = await #expect(throws: CredentialProviderError.self) {
            try await ProfileCredentialProvider(profileName: "x", config: config).credentials()
        }
        #expect(missing == .notFound(provider: "shared credentials file /home/u/.aws/credentials", reason: "no profile 'x'"))
        let none = await #expect(throws: CredentialProviderError.self) {
            try await ProfileCredentialProvider(profileName: "nokeys", config: config).credentials()
        }
        #expect(none == .notFound(provider: "shared credentials file /home/u/.aws/credentials", reason: "profile 'nokeys' has no aws_access_key_id"))
        let half = await #expect(throws: CredentialProviderError.self) {
            try await ProfileCredentialProvider(profileName: "half", config: config).credentials()
        }
        guard case .failed(_, let reason)? = half else {
            Issue.record("expected .failed, got \(String(describing: half))")
            return
        }
        #expect(reason.contains("/home/u/.aws/config:6"))
        #expect(reason.contains("aws_secret_access_key"))
    }

    static func processConfig(_ command: String) throws -> AWSSharedConfig {
        try AWSSharedConfig.parse(
            config: "[profile p]\ncredential_process = \(command)\n", configPath: "/cfg", credentials: nil, credentialsPath: nil)
    }

    @Test("credential_process: JSON output through /bin/sh, cached until near expiry")
    func processSuccess() async throws {
        let home = try TempHome()
        defer { home.remove() }
        let counter = home.path + "/count"
        let script = try home.write("proc.sh", """
            echo x >> "\(counter)"
            cat <<JSON
            {"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "procSecret", "SessionToken": "procToken", "Expiration": "$EXP"}
            JSON
            """)
        let clock = TestClock(Date())
        let expiration = ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(3600))
        let provider = CachingCredentialProvider(ProcessCredentialProvider(
            profileName: "p", config: try Self.processConfig("sh '\(script)'"),
            environment: home.environment(["EXP": expiration])), now: clock.function)
        let first = try await provider.credentials()
        #expect(first.accessKeyId == "ASIAPROC")
        #expect(first.secretAccessKey == "procSecret")
        #expect(first.sessionToken == "procToken")
        #expect(first.source == "credential-process:p")
        _ = try await provider.credentials()
        #expect(try String(contentsOfFile: counter, encoding: .utf8).split(separator: "\n").count == 1)
        clock.advance(3600 - 4 * 60)  // inside the 5-minute window
        _ = try await provider.credentials()
        #expect(try String(contentsOfFile: counter, encoding: .utf8).split(separator: "\n").count == 2)

        let longLived = try await ProcessCredentialProvider(
            profileName: "p",
            config: try Self.processConfig(#"printf '{"Version":1,"AccessKeyId":"AKIA2","SecretAccessKey":"s2"}'"#),
            environment: home.environment()).credentials()
        #expect(longLived.expiration == nil)
        #expect(longLived.sessionToken == nil)
    }

    @Test("credential_process failures are clear and never echo the secret", arguments: [
        (#"echo 'access denied by policy' >&2; exit 3"#, ["exited with status 3", "access denied by policy", "/cfg:2"]),
        (#"echo 'SecretAccessKey=procLeak not json'"#, ["not a JSON object"]),
        (#"printf '{"Version":2,"AccessKeyId":"A","SecretAccessKey":"procLeak"}'"#, ["\"Version\": expected 1, found 2"]),
        (#"printf '{"AccessKeyId":"A","SecretAccessKey":"procLeak"}'"#, ["no \"Version\""]),
        (#"printf '{"Version":1,"AccessKeyId":"A"}'"#, ["no \"SecretAccessKey\""]),
        (#"printf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"procLeak","Expiration":"soon"}'"#, ["\"Expiration\""]),
    ])
    func processFailures(command: String, fragments: [String]) async throws {
        let provider = ProcessCredentialProvider(profileName: "p", config: try Self.processConfig(command), environment: ["PATH": "/usr/bin:/bin"])
        let error = await #expect(throws: CredentialProviderError.self) { try await provider.credentials() }
        let text = error.map { "\($0)" } ?? ""
        guard case .failed? = error else {
            Issue.record("expected .failed, got \(text)")
            return
        }
        for fragment in fragments { #expect(text.contains(fragment), "\(text)") }
        #expect(!text.contains("procLeak"))
    }

    @Test("credential_process absent is notFound")
    func processAbsent() async throws {
        let config = try AWSSharedConfig.parse(config: "[default]\nregion = x\n", configPath: "/cfg", credentials: nil, credentialsPath: nil)
        await #expect(throws: CredentialProviderError.notFound(
            provider: "credential_process (profile 'default')", reason: "profile 'default' has no credential_process")) {
            try await ProcessCredentialProvider(profileName: "default", config: config, environment: [:]).credentials()
        }
    }
}
