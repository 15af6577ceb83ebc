import AWSCore
import Foundation
import Testing

@Suite("Credentials: assume-role profiles")
struct CredentialAssumeRoleTests {
    static let files = """
        [profile base]
        aws_access_key_id = AKIABASE000000000001
        aws_secret_access_key = baseSecretDoNotLeak

        [profile role]
        role_arn = arn:aws:iam::111111111111:role/lab-grader
        source_profile = base
        role_session_name = grader
        external_id = ext-123
        duration_seconds = 1800
        region = ap-northeast-2

        [profile chained]
        role_arn = arn:aws:iam::222222222222:role/student
        source_profile = role

        [profile self]
        role_arn = arn:aws:iam::333333333333:role/self
        source_profile = self
        aws_access_key_id = AKIASELF000000000001
        aws_secret_access_key = selfSecret

        [profile loop-a]
        role_arn = arn:aws:iam::1:role/a
        source_profile = loop-b

        [profile loop-b]
        role_arn = arn:aws:iam::1:role/b
        source_profile = loop-a

        [profile self-no-keys]
        role_arn = arn:aws:iam::1:role/c
        source_profile = self-no-keys

        [profile from-env]
        role_arn = arn:aws:iam::444444444444:role/env
        credential_source = Environment

        [profile from-imds]
        role_arn = arn:aws:iam::444444444444:role/imds
        credential_source = Ec2InstanceMetadata

        [profile both]
        role_arn = arn:aws:iam::1:role/x
        source_profile = base
        credential_source = Environment

        [profile neither]
        role_arn = arn:aws:iam::1:role/x

        [profile bad-source]
        role_arn = arn:aws:iam::1:role/x
        credential_source = EcsContainer

        [profile dangling]
        role_arn = arn:aws:iam::1:role/x
        source_profile = nowhere

        [profile empty-source]
        role_arn = arn:aws:iam::1:role/x
        source_profile = nokeys

        [profile nokeys]
        region = us-east-1

        [profile bad-duration]
        role_arn = arn:aws:iam::1:role/x
        source_profile = base
        duration_seconds = an hour

        [profile proc-source]
        credential_process = printf '{"Version":1,"AccessKeyId":"AKIAPROCSRC","SecretAccessKey":"p"}'

        [profile via-proc]
        role_arn = arn:aws:iam::555555555555:role/proc
        source_profile = proc-source
        """

    static func config() throws -> AWSSharedConfig {
        try AWSSharedConfig.parse(config: files, configPath: "/home/u/.aws/config", credentials: nil, credentialsPath: nil)
    }

    @Test("source_profile with static keys: parameters passed, cached while valid, refreshed near expiry")
    func cachingAndRefresh() async throws {
        let clock = TestClock()
        let sts = StubRoleAssumer(clock: clock, lifetime: 3600)
        let provider = CachingCredentialProvider(AssumeRoleCredentialProvider(
            profileName: "role", config: try Self.config(), environment: [:], roleAssumer: sts, now: clock.function), now: clock.function)
        let first = try await provider.credentials()
        let second = try await provider.credentials()
        #expect(sts.callCount == 1)
        #expect(first == second)
        #expect(first.source == "assume-role:role")
        let call = try #require(sts.recorded.first)
        #expect(call.parameters == AssumeRoleParameters(
            roleArn: "arn:aws:iam::111111111111:role/lab-grader", roleSessionName: "grader", externalId: "ext-123", durationSeconds: 1800))
        #expect(call.sourceAccessKeyId == "AKIABASE000000000001")
        #expect(call.region == "ap-northeast-2")

        clock.advance(3600 - 6 * 60)  // still 6 minutes left: cached
        _ = try await provider.credentials()
        #expect(sts.callCount == 1)
        clock.advance(2 * 60)  // 4 minutes left: inside the 5-minute window
        let refreshed = try await provider.credentials()
        #expect(sts.callCount == 2)
        #expect(refreshed.accessKeyId != first.accessKeyId)
    }

    @Test("concurrent callers share one AssumeRole call")
    func concurrentCallers() async throws {
        let clock = TestClock()
        let sts = StubRoleAssumer(clock: clock)
        let provider = CachingCredentialProvider(AssumeRoleCredentialProvider(
            profileName: "role", config: try Self.config(), environment: [:], roleAssumer: sts, now: clock.function), now: clock.function)
        try await withThrowingTaskGroup(of: Credentials.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.credentials() } }
            for try await _ in group {}
        }
        #expect(sts.callCount == 1)
    }

    @Test("a role whose source_profile is itself a role assumes both, in order")
    func chainedRoles() async throws {
        let clock = TestClock()
        let sts = StubRoleAssumer(clock: clock)
        let provider = AssumeRoleCredentialProvider(
            profileName: "chained", config: try Self.config(), environment: [:], roleAssumer: sts, now: clock.function)
        let credentials = try await provider.credentials()
        let calls = sts.recorded
        #expect(calls.map(\.parameters.roleArn) == ["arn:aws:iam::111111111111:role/lab-grader", "arn:aws:iam::222222222222:role/student"])
        #expect(calls[0].sourceAccessKeyId == "AKIABASE000000000001")
        #expect(calls[1].sourceAccessKeyId == "ASIALAB-GRADER1")
        #expect(calls[1].parameters.roleSessionName.hasPrefix("labcheck-session-"))
        #expect(credentials.accessKeyId == "ASIASTUDENT2")
    }

    @Test("a profile may name itself as source_profile to use its own keys")
    func selfReference() async throws {
        let clock = TestClock()
        let sts = StubRoleAssumer(clock: clock)
        let provider = AssumeRoleCredentialProvider(
            profileName: "self", config: try Self.config(), environment: [:], roleAssumer: sts, now: clock.function)
        _ = try await provider.credentials()
        #expect(sts.recorded.first?.sourceAccessKeyId == "AKIASELF000000000001")
    }

    @Test("source_profile via credential_process")
    func processSource() async throws {
        let clock = TestClock()
        let sts = StubRoleAssumer(clock: clock)
        let provider = AssumeRoleCredentialProvider(
            profileName: "via-proc", config: try Self.config(), environment: ["PATH": "/usr/bin:/bin"], roleAssumer: sts, now: clock.function)
        _ = try await provider.credentials()
        #expect(sts.recorded.first?.sourceAccessKeyId == "AKIAPROCSRC")
    }

    @Test("credential_source Environment and Ec2InstanceMetadata")
    func credentialSources() async throws {
        let clock = TestClock()
        let sts = StubRoleAssumer(clock: clock)
        let fromEnvironment = AssumeRoleCredentialProvider(
            profileName: "from-env", config: try Self.config(),
            environment: ["AWS_ACCESS_KEY_ID": "AKIAFROMENV", "AWS_SECRET_ACCESS_KEY": "e"], roleAssumer: sts, now: clock.function)
        _ = try await fromEnvironment.credentials()
        #expect(sts.recorded.last?.sourceAccessKeyId == "AKIAFROMENV")

        let instance = StaticCredentialProvider(Credentials(accessKeyId: "ASIAFROMIMDS", secretAccessKey: "i", source: "imds"))
        let fromIMDS = AssumeRoleCredentialProvider(
            profileName: "from-imds", config: try Self.config(), environment: [:], roleAssumer: sts, imds: instance, now: clock.function)
        _ = try await fromIMDS.credentials()
        #expect(sts.recorded.last?.sourceAccessKeyId == "ASIAFROMIMDS")

        let emptyEnvironment = AssumeRoleCredentialProvider(
            profileName: "from-env", config: try Self.config(), environment: [:], roleAssumer: sts, now: clock.function)
        let error = await #expect(throws: CredentialProviderError.self) { try await emptyEnvironment.credentials() }
        guard case .failed(_, let reason)? = error else {
            Issue.record("expected .failed, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("credential_source Environment"))
    }

    @Test("configuration errors stop the chain with the file, line and setting", arguments: [
        ("loop-a", "source_profile cycle: loop-a -> loop-b -> loop-a"),
        ("self-no-keys", "source_profile cycle: self-no-keys -> self-no-keys"),
        ("both", "contains both source_profile and credential_source"),
        ("neither", "neither source_profile nor credential_source"),
        ("bad-source", "expected one of Environment, Ec2InstanceMetadata, found 'EcsContainer'"),
        ("dangling", "The source_profile \"nowhere\" referenced in the profile \"dangling\" does not exist (/home/u/.aws/config:"),
        ("empty-source", "The source profile \"nokeys\" (referenced by \"empty-source\") must have credentials"),
        ("bad-duration", "/home/u/.aws/config:69 (profile 'bad-duration', duration_seconds): expected a whole number of seconds, found 'an hour'"),
    ])
    func configurationErrors(profile: String, fragment: String) async throws {
        let sts = StubRoleAssumer(clock: TestClock())
        let provider = AssumeRoleCredentialProvider(profileName: profile, config: try Self.config(), environment: [:], roleAssumer: sts)
        let error = await #expect(throws: CredentialProviderError.self) { try await provider.credentials() }
        guard case .failed(_, let reason)? = error else {
            Issue.record("expected .failed, got \(String(describing: error))")
            return
        }
        #expect(reason.contains(fragment), "\(reason)")
        #expect(sts.callCount == 0)
    }

    @Test("a profile without role_arn is notFound; an STS failure is failed and names the role")
    func notFoundAndSTSFailure() async throws {
        let clock = TestClock()
        await #expect(throws: CredentialProviderError.notFound(provider: "assume-role (profile 'base')", reason: "profile 'base' has no role_arn")) {
            try await AssumeRoleCredentialProvider(
                profileName: "base", config: try Self.config(), environment: [:], roleAssumer: StubRoleAssumer(clock: clock)).credentials()
        }
        let denied = AWSServiceError(code: "AccessDenied", message: "not authorized to perform sts:AssumeRole", httpStatus: 403)
        let provider = AssumeRoleCredentialProvider(
            profileName: "role", config: try Self.config(), environment: [:], roleAssumer: StubRoleAssumer(clock: clock, failure: denied))
        let error = await #expect(throws: CredentialProviderError.self) { try await provider.credentials() }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("arn:aws:iam::111111111111:role/lab-grader"))
        #expect(text.contains("AccessDenied"))
        #expect(!text.contains("baseSecretDoNotLeak"))
    }
}
