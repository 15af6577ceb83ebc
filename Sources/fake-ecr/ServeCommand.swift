import ArgumentParser
import FakeECR
import Foundation
import Logging

extension FakeECRAuthMode: ExpressibleByArgument {}
extension AdminAPIAccess.Peers: ExpressibleByArgument {}
extension IAMEnforcement: ExpressibleByArgument {}

/// `fake-ecr serve`: listens until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the ECR JSON API, STS, the registry (/v2/) and, with --admin, the admin API (/_fake/) on one port.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: a free port, printed at start).")
    var port = 0

    @Option(help: "Keep metadata in SQLite in this directory (survives restarts and kill -9).")
    var dataDir: String?

    @Option(help: "Seed the state from this JSON file (with --data-dir: only when the directory holds no state yet).")
    var state: String?

    @Option(help: "JSON file mapping access keys to accounts and secrets (default: any key is account 123456789012).")
    var accounts: String?

    @Option(help: "none: accept any well-formed request; sigv4: verify every signature.")
    var auth: FakeECRAuthMode = .none

    @Option(help: ArgumentHelp(
        "off: any principal may do anything in its own account (except the accounts file's deniedActions); enforce: identity policies, repository policies and role trust decide every call, as IAM does.",
        valueName: "mode"))
    var iam: IAMEnforcement = .off

    @Option(help: "Region when a request carries no SigV4 credential scope.")
    var defaultRegion = "us-east-1"

    @Option(help: "Account of requests whose key is not in --accounts (or with no --accounts).")
    var defaultAccount = "123456789012"

    @Option(name: .customLong("upstream"), help: ArgumentHelp(
        "A local stand-in for a pull-through cache upstream: REGISTRY=http://HOST:PORT (a registry) or REGISTRY=oci:DIR (an OCI layout). Repeatable.",
        valueName: "registry=source"))
    var upstreams: [String] = []

    @Option(help: ArgumentHelp(
        "Inject faults on purpose from this JSON plan (throttling, 500/503, empty or truncated bodies, latency, resets; seeded). Also PUT /_fake/faults.",
        valueName: "file"))
    var faults: String?

    @Flag(help: "Serve the admin API under /_fake/ (state dump and load, reset, request counters, faults); off by default.")
    var admin = false

    @Option(help: "With --admin: loopback (default) answers clients on 127.0.0.1/::1 only; any answers every peer.")
    var adminFrom: AdminAPIAccess.Peers = .loopback

    @Option(help: ArgumentHelp(
        "With --admin: admin requests must send 'Authorization: Bearer TOKEN'. Required with --auth sigv4.", valueName: "token"))
    var adminToken: String?

    @Option(help: ArgumentHelp(
        "Close a connection idle (no request being read or answered) for this many seconds; 0 never closes.",
        valueName: "seconds"))
    var idleTimeout: Double = Double(FakeECRConfiguration.defaultIdleTimeout.components.seconds)

    @Option(help: ArgumentHelp(
        "CloudTrail LookupEvents shows only records at least this old (AWS delivers events about 5 minutes late): 300, 30s, 5m, 1h.",
        valueName: "duration"))
    var trailDelay = "0"

    @Option(help: ArgumentHelp(
        "LookupEvents calls allowed per second per account and region (burst of the same size), above it ThrottlingException; 0: unlimited.",
        valueName: "n"))
    var trailLookupRate: Double = TrailConfiguration.awsLookupRate

    @Option(help: ArgumentHelp(
        "on: a pull through the cache that creates its repository records a CreateRepository by ecr.amazonaws.com (AWSService); off: only the pull's own events.",
        valueName: "on|off"))
    var trailCacheRepositoryEvents = "on"

    @Option(help: ArgumentHelp("Keep CloudTrail records this long (CloudTrail's event history: 90 days): 90d, 12h.", valueName: "duration"))
    var trailRetention = "90d"

    @Option(help: "Keep at most this many CloudTrail records per account and region (the oldest are dropped).")
    var trailMaxRecords = TrailRetention.standard.maxRecords

    @Option(help: ArgumentHelp(
        "YAML table of vulnerabilities (package, ecosystem, affected versions -> CVE finding) that image scans match installed packages against (see fixtures/scanning/vulnerabilities.yaml); default: none, scans find nothing.",
        valueName: "file"))
    var vulnerabilities: String?

    @Option(help: ArgumentHelp("Seconds an image scan stays IN_PROGRESS before it completes.", valueName: "seconds"))
    var scanDuration: Double = 2

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard defaultAccount.count == 12, defaultAccount.allSatisfy(\.isNumber) else {
            throw ValidationError("--default-account must be 12 digits, got '\(defaultAccount)'")
        }
        guard idleTimeout.isFinite, (0...86_400).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be between 0 and 86400 seconds, got \(idleTimeout)")
        }
        guard TrailConfiguration.duration(trailDelay) != nil else {
            throw ValidationError("--trail-delay must be a duration like 300, 30s, 5m or 1h, got '\(trailDelay)'")
        }
        guard TrailConfiguration.duration(trailRetention).map({ $0 > 0 }) ?? false else {
            throw ValidationError("--trail-retention must be a positive duration like 90d or 12h, got '\(trailRetention)'")
        }
        guard trailLookupRate.isFinite, trailLookupRate >= 0 else { throw ValidationError("--trail-lookup-rate must be 0 or more, got \(trailLookupRate)") }
        guard ["on", "off"].contains(trailCacheRepositoryEvents) else {
            throw ValidationError("--trail-cache-repository-events must be on or off, got '\(trailCacheRepositoryEvents)'")
        }
        guard scanDuration.isFinite, (0...3600).contains(scanDuration) else {
            throw ValidationError("--scan-duration must be between 0 and 3600 seconds, got \(scanDuration)")
        }
        guard trailMaxRecords > 0 else { throw ValidationError("--trail-max-records must be at least 1, got \(trailMaxRecords)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level '\(logLevel)' is not a log level") }
        if !admin, adminToken != nil || adminFrom != .loopback {
            throw ValidationError("--admin-token and --admin-from configure the admin API: add --admin to turn it on")
        }
        if admin, auth == .sigv4, adminToken?.isEmpty ?? true {
            throw ValidationError("--admin with --auth sigv4 needs --admin-token TOKEN: the admin API dumps and wipes every account")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fake-ecr")
        var configuration = FakeECRConfiguration(
            host: host, port: port, authMode: auth, defaultAccountId: defaultAccount, defaultRegion: defaultRegion, logger: logger)
        configuration.iam = iam
        configuration.dataDirectory = dataDir.map { URL(fileURLWithPath: $0) }
        configuration.stateFile = state.map { URL(fileURLWithPath: $0) }
        if admin { configuration.adminAPI = AdminAPIAccess(peers: adminFrom, token: adminToken) }
        configuration.trail = TrailConfiguration(
            delay: TrailConfiguration.duration(trailDelay) ?? 0, lookupRate: trailLookupRate, cacheRepositoryEvents: trailCacheRepositoryEvents == "on",
            retention: TrailRetention(maxAge: TrailConfiguration.duration(trailRetention) ?? TrailRetention.standard.maxAge, maxRecords: trailMaxRecords))
        configuration.idleTimeout = idleTimeout == 0 ? nil : .milliseconds(Int64((idleTimeout * 1000).rounded()))
        for entry in upstreams {
            do {
                let mapping = try UpstreamSource.parseMapping(entry)
                configuration.upstreams[mapping.registry] = mapping.source
            } catch {
                FileHandle.standardError.write(Data("fake-ecr: --upstream \(entry): \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        do {
            if let accounts {
                configuration.accounts = try AccountsFile.load(URL(fileURLWithPath: accounts))
            }
            if let faults {
                configuration.faults = try FaultPlan.read(from: URL(fileURLWithPath: faults))
            }
            if let vulnerabilities {
                configuration.vulnerabilities = try VulnerabilityTable.load(URL(fileURLWithPath: vulnerabilities))
            }
            configuration.scanDuration = scanDuration
            try await FakeECRServer.run(configuration) { url in
                FileHandle.standardOutput.write(Data("fake-ecr listening on \(url.absoluteString)\n".utf8))
            }
        } catch let error as InputFileError {
            FileHandle.standardError.write(Data("fake-ecr: bad input file: \(error.description)\n".utf8))
            throw ExitCode(2)
        } catch let error as RegistryStorageError {
            FileHandle.standardError.write(Data("fake-ecr: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
