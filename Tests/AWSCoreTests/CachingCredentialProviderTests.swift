import AWSCore
import Foundation
import Synchronization
import Testing

/// One caching wrapper for every provider whose credentials expire (assume-role, IMDS, credential_process),
/// composed around them where the default chain is built.
@Suite("Credentials: the caching wrapper and credential_process deadlines")
struct CachingCredentialProviderTests {
    /// Counts fetches; each answer expires `lifetime` seconds after the clock's now, after `delay` seconds.
    final class CountingProvider: CredentialProvider {
        let name = "counting"
        let clock: TestClock
        let lifetime: TimeInterval?
        let delay: TimeInterval
        let failures = Mutex(0)
        private let count = Mutex(0)

        init(clock: TestClock, lifetime: TimeInterval? = 3600, delay: TimeInterval = 0, failFirst: Int = 0) {
            self.clock = clock
            self.lifetime = lifetime
            self.delay = delay
            failures.withLock { $0 = failFirst }
        }

        var fetches: Int { count.withLock { $0 } }

        func credentials() async throws -> Credentials {
            let number = count.withLock { value -> Int in
                value += 1
                return value
            }
            if delay > 0 { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) }
            let fail = failures.withLock { remaining -> Bool in
                guard remaining > 0 else { return false }
                remaining -= 1
                return true
            }
            if fail { throw CredentialProviderError.failed(provider: name, reason: "fetch \(number) refused") }
            return Credentials(
                accessKeyId: "ASIACOUNT\(number)", secretAccessKey: "countSecret\(number)",
                expiration: lifetime.map { clock.now.addingTimeInterval($0) }, source: name)
        }
    }

    @Test("concurrent callers share one refresh")
    func concurrentCallersShareOneFetch() async throws {
        let clock = TestClock()
        let inner = CountingProvider(clock: clock, delay: 0.2)
        let cache = CachingCredentialProvider(inner, now: clock.function)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { try await cache.credentials().accessKeyId } }
            var keys: [String] = []
            for try await key in group { keys.append(key) }
            return keys
        }
        #expect(inner.fetches == 1)
        #expect(Set(keys) == ["ASIACOUNT1"])
        #expect(cache.name == "counting")
    }

    @Test("cached until 5 minutes before expiry, then fetched again; expired credentials are never returned")
    func refreshesNearAndAfterExpiry() async throws {
        let clock = TestClock()
        let inner = CountingProvider(clock: clock, lifetime: 3600)
        let cache = CachingCredentialProvider(inner, now: clock.function)
        #expect(try await cache.credentials().accessKeyId == "ASIACOUNT1")
        clock.advance(3600 - 5 * 60 - 1)
        #expect(try await cache.credentials().accessKeyId == "ASIACOUNT1")
        clock.advance(2)  // inside the 5-minute window
        #expect(try await cache.credentials().accessKeyId == "ASIACOUNT2")
        clock.advance(7200)  // long expired
        #expect(try await cache.credentials().accessKeyId == "ASIACOUNT3")
        #expect(inner.fetches == 3)
    }

    @Test("credentials without an expiration are kept; invalidate() forgets them")
    func longLivedAreKept() async throws {
        let clock = TestClock()
        let inner = CountingProvider(clock: clock, lifetime: nil)
        let cache = CachingCredentialProvider(inner, now: clock.function)
        _ = try await cache.credentials()
        clock.advance(86_400 * 365)
        _ = try await cache.credentials()
        #expect(inner.fetches == 1)
        await cache.invalidate()
        #expect(try await cache.credentials().accessKeyId == "ASIACOUNT2")
    }

    @Test("a failed refresh reaches every waiting caller and is not cached")
    func failuresAreSharedNotCached() async throws {
        let clock = TestClock()
        let inner = CountingProvider(clock: clock, delay: 0.2, failFirst: 1)
        let cache = CachingCredentialProvider(inner, now: clock.function)
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do { return try await cache.credentials().accessKeyId } catch { return "\(error)" }
                }
            }
            var outcomes: [String] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(inner.fetches == 1)
        #expect(outcomes.allSatisfy { $0.contains("fetch 1 refused") }, "\(outcomes)")
        #expect(try await cache.credentials().accessKeyId == "ASIACOUNT2")
    }

    static func processConfig(_ command: String) throws -> AWSSharedConfig {
        try AWSSharedConfig.parse(
            config: "[profile p]\ncredential_process = \(command)\n", configPath: "/cfg", credentials: nil, credentialsPath: nil)
    }

    @Test("a hanging credential_process is killed at its deadline and the error names the command")
    func hangingProcessTimesOut() async throws {
        let provider = ProcessCredentialProvider(
            profileName: "p", config: try Self.processConfig("sleep 300; echo never"), environment: ["PATH": "/usr/bin:/bin"], timeout: 1)
        let started = ContinuousClock.now
        let error = await #expect(throws: CredentialProviderError.self) { try await provider.credentials() }
        // Far below the command's 300 s: it was stopped, not waited for (a loaded machine took 29 s to spawn and reap it).
        #expect(ContinuousClock.now - started < .seconds(120))
        guard case .failed(let name, let reason)? = error else {
            Issue.record("expected .failed, got \(String(describing: error))")
            return
        }
        #expect(name == "credential_process (profile 'p')")
        #expect(reason == "/cfg:2 (profile 'p', credential_process): the command 'sleep 300; echo never' did not finish within 1 s and was stopped", "\(reason)")
        #expect(ProcessCredentialProvider.defaultTimeout == 60)
    }

    @Test("the default chain caches credential_process: concurrent callers run the command once")
    func defaultChainRunsTheProcessOnce() async throws {
        let home = try TempHome()
        defer { home.remove() }
        let counter = home.path + "/runs"
        let script = try home.write("slow-proc.sh", """
            echo x >> "\(counter)"
            sleep 0.3
            printf '{"Version":1,"AccessKeyId":"ASIASLOW","SecretAccessKey":"slowSecret","Expiration":"%s"}' "$EXP"
            """)
        try home.config("[profile p]\ncredential_process = sh '\(script)'\n")
        let expiration = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        let environment = home.environment(["EXP": expiration])
        let chain = DefaultCredentialChain.make(
            profile: "p", environment: environment, config: try home.load(environment),
            imds: StaticCredentialProvider(Credentials(accessKeyId: "ASIANOTIMDS", secretAccessKey: "x")), roleAssumer: nil)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await chain.credentials().accessKeyId } }
            var keys: [String] = []
            for try await key in group { keys.append(key) }
            return keys
        }
        #expect(Set(keys) == ["ASIASLOW"])
        _ = try await chain.credentials()
        #expect(try String(contentsOfFile: counter, encoding: .utf8).split(separator: "\n").count == 1)
        #expect(chain.providers.contains { $0 is CachingCredentialProvider })
    }

    @Test("the default chain's role provider is cached: one AssumeRole for concurrent callers")
    func defaultChainAssumesOnce() async throws {
        let home = try TempHome()
        defer { home.remove() }
        try home.config("""
            [profile base]
            aws_access_key_id = AKIABASE000000000001
            aws_secret_access_key = baseSecretDoNotLeak
            [profile role]
            role_arn = arn:aws:iam::111111111111:role/lab-grader
            source_profile = base
            """)
        let clock = TestClock()
        let sts = StubRoleAssumer(clock: clock)
        let chain = DefaultCredentialChain.make(
            profile: "role", environment: home.environment(), config: try home.load(),
            imds: StaticCredentialProvider(Credentials(accessKeyId: "ASIANOTIMDS", secretAccessKey: "x")), roleAssumer: sts,
            now: clock.function)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await chain.credentials() } }
            try await group.waitForAll()
        }
        #expect(sts.callCount == 1)
        clock.advance(3600 - 60)
        _ = try await chain.credentials()
        #expect(sts.callCount == 2)
    }
}
