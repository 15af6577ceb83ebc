import AsyncHTTPClient
import AWSCore
import FakeECR
import Foundation
import Logging
import NIOSSL

/// The docker client the lab's scripts run: the real docker with the run's own dockerd, or podman.
enum LabClient: String, CaseIterable, Sendable {
    case docker, podman
}

/// Everything one verify-lab run stands up, inside its namespace, torn down together: the sandbox
/// and its /etc mounts, the upstream stand-ins and the fake ECR on port 443 of their loopback
/// addresses (HTTPS, the run's CA), the checker's HTTP client and, for docker, the run's dockerd.
struct LabWorld {
    let sandbox: LabSandbox
    let standIns: UpstreamStandIns
    let fake: RunningFakeECR
    let http: HTTPClient
    let daemon: DockerDaemon?
    /// The client the scripts run, after any fallback.
    let client: LabClient
    /// The ECR API endpoint the checker grades through (`https://api.ecr.<region>.amazonaws.com`).
    let apiEndpoint: URL

    struct Programs {
        var client: LabClient
        /// Whether `client` was asked for (`--client`) rather than picked: no fallback then.
        var explicit: Bool
        var docker: String
        var dockerd: String
        var podman: String
    }

    /// The hosts the fake serves: the lab's registry, and the ECR and STS APIs of the region.
    static func fakeHosts(registryHost: String, region: String) -> [String] {
        [registryHost, "api.ecr.\(region).amazonaws.com", "sts.\(region).amazonaws.com", "sts.amazonaws.com"]
    }

    /// 127.0.0.10 for the fake's hosts, 127.0.0.11 onwards for the upstream registries (sorted).
    static func addresses(fakeHosts: [String], upstreams: [String]) -> [String: String] {
        var addresses: [String: String] = [:]
        for host in fakeHosts { addresses[host] = "127.0.0.10" }
        for (index, host) in upstreams.sorted().enumerated() { addresses[host] = "127.0.0.\(11 + index)" }
        return addresses
    }

    /// Starts the pieces in order; what started is stopped again when a later piece fails. With `accounts` the fake
    /// knows only those keys (SigV4) and enforces their IAM policies (`--policy lab`).
    static func start(
        account: String, region: String, registryHost: String, upstreamImages: URL, programs: Programs, accounts: AccountsFile? = nil,
        progress: @Sendable (String) -> Void
    ) async throws -> LabWorld {
        let layouts = try UpstreamStandIns.layouts(in: upstreamImages)
        let fakeHosts = fakeHosts(registryHost: registryHost, region: region)
        let addresses = addresses(fakeHosts: fakeHosts, upstreams: Array(layouts.keys))
        let authority: RunCertificateAuthority
        do {
            authority = try RunCertificateAuthority.make(hosts: Array(Set(addresses.keys)).sorted())
        } catch {
            throw CLIError.couldNotEvaluate("\(error)")
        }
        let sandbox = try LabSandbox.create(
            addresses: addresses, certificateAuthorityPEM: authority.certificatePEM,
            client: programs.client == .docker ? programs.docker : programs.podman)
        let standIns: UpstreamStandIns
        do {
            try LabNamespace.prepare(hosts: sandbox.hostsFile, docker: programs.client == .docker ? sandbox.dockerEtc : nil)
            standIns = try await UpstreamStandIns.start(layouts: layouts, addresses: addresses, tls: authority.server)
        } catch {
            sandbox.remove()
            throw error
        }
        var quiet = Logger(label: "labcheck.verify-lab.fake-ecr")
        quiet.logLevel = .critical
        var configuration = FakeECRConfiguration(host: "127.0.0.10", port: 443, defaultAccountId: account, defaultRegion: region, logger: quiet)
        configuration.upstreams = standIns.sources
        configuration.tls = authority.server
        if let accounts {
            configuration.accounts = accounts
            configuration.authMode = .sigv4
            configuration.iam = .enforce
        }
        let fake: RunningFakeECR
        do {
            fake = try await FakeECRServer.start(configuration)
        } catch {
            await standIns.stop()
            sandbox.remove()
            throw CLIError.couldNotEvaluate("could not start the fake ECR on 127.0.0.10:443: \(error)")
        }
        let http: HTTPClient
        do {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(authority.certificatePEM.utf8)))
            http = AWSClient.makeHTTPClient(tlsConfiguration: tls)
        } catch {
            await fake.stop()
            await standIns.stop()
            sandbox.remove()
            throw CLIError.couldNotEvaluate("could not read the run's CA certificate: \(error)")
        }
        var client = programs.client
        var daemon: DockerDaemon?
        if client == .docker {
            do {
                daemon = try await DockerDaemon.start(
                    dockerd: programs.dockerd, docker: programs.docker, root: sandbox.root,
                    path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
            } catch {
                guard !programs.explicit, ToolCheck.resolve(programs.podman) != nil else {
                    try? await http.shutdown()
                    await fake.stop()
                    await standIns.stop()
                    sandbox.remove()
                    throw error
                }
                progress("client podman: the run's dockerd could not be started (\(error)); --client docker makes this an error")
                try? sandbox.useClient(programs.podman)
                client = .podman
            }
        }
        let apiEndpoint = URL(string: "https://api.ecr.\(region).amazonaws.com") ?? fake.endpoint
        return LabWorld(sandbox: sandbox, standIns: standIns, fake: fake, http: http, daemon: daemon, client: client, apiEndpoint: apiEndpoint)
    }

    /// Stops everything; dockerd's own output goes to `dockerdLog`.
    func shutdown(dockerdLog: URL?) async {
        InterruptCleanup.shared.holdIfInterrupted()
        if let daemon {
            let output = await daemon.stop()
            if let dockerdLog {
                try? FileManager.default.createDirectory(at: dockerdLog.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? Data(output.utf8).write(to: dockerdLog)
            }
        }
        try? await http.shutdown()
        await fake.stop()
        await standIns.stop()
        sandbox.remove()
    }
}
