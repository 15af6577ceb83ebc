import AWSCore
import Foundation
import Synchronization

/// A temporary directory holding a fake home with `.aws/config` and `.aws/credentials`; removed by `remove()`.
struct TempHome {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("labcheck-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
    }

    var configPath: String { path + "/.aws/config" }
    var credentialsPath: String { path + "/.aws/credentials" }

    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> String {
        let full = (path as NSString).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func config(_ text: String) throws { try write(".aws/config", text) }
    func credentials(_ text: String) throws { try write(".aws/credentials", text) }

    /// A base environment: HOME here, PATH for /bin/sh children, IMDS off unless a test turns it on.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ["HOME": path, "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"]
        environment.merge(extra) { _, new in new }
        return environment
    }

    func load(_ environment: [String: String]? = nil) throws -> AWSSharedConfig {
        try AWSSharedConfig.load(environment: environment ?? self.environment(), homeDirectory: path)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A clock tests can move.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { [self] in self.now } }
}

/// A RoleAssumer stub: counts calls, records parameters and which credentials signed them, and
/// returns credentials that expire `lifetime` seconds after the clock's now.
final class StubRoleAssumer: RoleAssumer {
    struct Call: Sendable {
        var parameters: AssumeRoleParameters
        var sourceAccessKeyId: String
        var region: String?
    }

    private let calls = Mutex<[Call]>([])
    private let clock: TestClock
    let lifetime: TimeInterval
    let failure: (any Error & Sendable)?

    init(clock: TestClock, lifetime: TimeInterval = 3600, failure: (any Error & Sendable)? = nil) {
        self.clock = clock
        self.lifetime = lifetime
        self.failure = failure
    }

    var callCount: Int { calls.withLock { $0.count } }
    var recorded: [Call] { calls.withLock { $0 } }

    func assumeRole(_ parameters: AssumeRoleParameters, credentials: Credentials, region: String?) async throws -> Credentials {
        let number = calls.withLock { calls -> Int in
            calls.append(Call(parameters: parameters, sourceAccessKeyId: credentials.accessKeyId, region: region))
            return calls.count
        }
        if let failure { throw failure }
        let role = parameters.roleArn.split(separator: "/").last.map(String.init) ?? "role"
        return Credentials(
            accessKeyId: "ASIA\(role.uppercased())\(number)", secretAccessKey: "assumedSecret\(number)DoNotLeak",
            sessionToken: "assumedToken\(number)DoNotLeak", expiration: clock.now.addingTimeInterval(lifetime))
    }
}
