import AsyncHTTPClient
import AWSCore
import FakeECR
import Foundation
import Logging

/// Everything one verify-lab run stands up on loopback and in /tmp, torn down together: the upstream
/// stand-ins, the fake ECR (its pull-through cache pointed at the stand-ins), the checker's HTTP
/// client and the scripts' sandbox.
struct LabWorld {
    let standIns: UpstreamStandIns
    let fake: RunningFakeECR
    let http: HTTPClient
    let sandbox: LabSandbox

    /// Starts the pieces in order; what started is stopped again when a later piece fails.
    static func start(account: String, region: String, registryHost: String, upstreamImages: URL, podman: String) async throws -> LabWorld {
        let standIns = try await UpstreamStandIns.start(from: upstreamImages)
        var quiet = Logger(label: "labcheck.verify-lab.fake-ecr")
        quiet.logLevel = .critical
        var configuration = FakeECRConfiguration(defaultAccountId: account, defaultRegion: region, logger: quiet)
        configuration.upstreams = standIns.registries.mapValues { UpstreamSource.registry($0.endpoint) }
        let fake: RunningFakeECR
        do {
            fake = try await FakeECRServer.start(configuration)
        } catch {
            await standIns.stop()
            throw CLIError.couldNotEvaluate("could not start the fake ECR: \(error)")
        }
        let http = AWSClient.makeHTTPClient()
        do {
            let sandbox = try LabSandbox.create(
                registryHost: registryHost, fakeEndpoint: fake.endpoint, fakeAuthority: "\(fake.host):\(fake.port)",
                upstreams: standIns.authorities, podman: podman)
            return LabWorld(standIns: standIns, fake: fake, http: http, sandbox: sandbox)
        } catch {
            try? await http.shutdown()
            await fake.stop()
            await standIns.stop()
            throw error
        }
    }

    func shutdown() async {
        sandbox.remove()
        try? await http.shutdown()
        await fake.stop()
        await standIns.stop()
    }
}
