import Foundation
import Logging

/// How to run a fake ECR.
public struct FakeECRConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// With a directory, metadata lives in SQLite there and survives restarts; nil keeps it in memory.
    public var dataDirectory: URL?
    /// A state document to seed from (with a data directory: only when the database is empty).
    public var stateFile: URL?
    /// Accounts and keys; nil accepts any key as the default account.
    public var accounts: AccountsFile?
    public var authMode: FakeECRAuthMode
    public var defaultAccountId: String
    public var defaultRegion: String
    public var logger: Logger
    /// Local stand-ins for pull-through cache upstreams, by registry host (`public.ecr.aws`):
    /// `fake-ecr serve --upstream public.ecr.aws=oci:DIR`. FAKE_ECR_UPSTREAMS adds more.
    public var upstreams: [String: UpstreamSource] = [:]
    /// Faults to inject from the start (`fake-ecr serve --faults FILE`); nil: none.
    public var faults: FaultPlan?
    /// The admin API under `/_fake/` (`fake-ecr serve --admin`); nil: off, every `/_fake/` path 404.
    public var adminAPI: AdminAPIAccess?
    /// Serve HTTPS with this certificate instead of plain HTTP; nil: HTTP.
    public var tls: ServerTLS?

    /// Whether identity policies are enforced (`fake-ecr serve --iam enforce`); off: as before IAM.
    public var iam: IAMEnforcement = .off

    /// What basic scanning matches installed packages against (`fake-ecr serve --vulnerabilities
    /// FILE`, `fixtures/scanning/vulnerabilities.yaml`); empty: scans complete with no findings.
    public var vulnerabilities = VulnerabilityTable()

    /// How long an image scan stays IN_PROGRESS on the fake's clock (`--scan-duration`) before it
    /// completes; tests move the clock (`RunningFakeECR.clock`) rather than wait.
    public var scanDuration: TimeInterval = 2

    /// The CloudTrail history the fake records and LookupEvents serves (delay, rate limit, retention).
    public var trail = TrailConfiguration()

    /// How long a connection may sit idle (no request being read or answered) before the server
    /// closes it; nil never closes. Bounds what slow or abandoned clients hold (a slowloris holding
    /// connections open with half a request line); clients that keep connections alive reconnect.
    public var idleTimeout: Duration? = Self.defaultIdleTimeout

    /// 75 s: longer than AsyncHTTPClient's pool idle timeout (60 s), so labcheck's pooled
    /// connections are closed by the client first; nginx's default keep-alive timeout.
    public static let defaultIdleTimeout: Duration = .seconds(75)

    public init(
        host: String = "127.0.0.1", port: Int = 0, dataDirectory: URL? = nil, stateFile: URL? = nil, accounts: AccountsFile? = nil,
        authMode: FakeECRAuthMode = .none, defaultAccountId: String = "123456789012", defaultRegion: String = "us-east-1",
        logger: Logger = Logger(label: "fake-ecr")
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.stateFile = stateFile
        self.accounts = accounts
        self.authMode = authMode
        self.defaultAccountId = defaultAccountId
        self.defaultRegion = defaultRegion
        self.logger = logger
    }

    var defaultRegistry: RegistryKey { RegistryKey(accountId: defaultAccountId, region: defaultRegion) }
}
