import AsyncHTTPClient
import AWSCore
import Checks
import ECRWire
import FakeECR
import Foundation
import Logging
import Reports

/// Runs a lab's own scripts against an offline fake ECR, stage by stage, and checks the score the
/// checker gives after each stage. Stops at the first stage that does not pass: later stages build on it.
struct LabVerifier {
    struct Settings {
        var spec: LabSpec
        var plan: LabPlan
        var labDirectory: URL
        var upstreamImages: URL
        var account: String
        var region: String
        var prefix: String
        var scriptTimeout: TimeInterval
        var podman: String
        var language: Language
        /// Each script's whole output goes to `<logDirectory>/<stage>/<script>.log`.
        var logDirectory: URL
    }

    let settings: Settings
    let progress: @Sendable (String) -> Void

    /// The registry host the lab's scripts push to: `<account>.dkr.ecr.<region>.amazonaws.com`.
    var registryHost: String { "\(settings.account).dkr.ecr.\(settings.region).amazonaws.com" }

    func run() async throws -> LabVerification {
        let started = Date()
        let standIns = try await UpstreamStandIns.start(from: settings.upstreamImages)
        var quiet = Logger(label: "labcheck.verify-lab.fake-ecr")
        quiet.logLevel = .critical
        var configuration = FakeECRConfiguration(defaultAccountId: settings.account, defaultRegion: settings.region, logger: quiet)
        configuration.upstreams = standIns.registries.mapValues { UpstreamSource.registry($0.endpoint) }
        let fake: RunningFakeECR
        do {
            fake = try await FakeECRServer.start(configuration)
        } catch {
            await standIns.stop()
            throw CLIError.couldNotEvaluate("could not start the fake ECR: \(error)")
        }
        let http = AWSClient.makeHTTPClient()
        let sandbox: LabSandbox
        do {
            sandbox = try LabSandbox.create(
                registryHost: registryHost, fakeEndpoint: fake.endpoint, fakeAuthority: "\(fake.host):\(fake.port)",
                upstreams: standIns.authorities, podman: settings.podman)
        } catch {
            try? await http.shutdown()
            await fake.stop()
            await standIns.stop()
            throw error
        }
        progress("fake ECR at \(fake.endpoint.absoluteString) as \(registryHost); upstreams: "
            + standIns.authorities.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "))

        var stages: [StageOutcome] = []
        var ledger = EvidenceLedger(labId: settings.spec.id, accountId: settings.account, region: settings.region)
        let environment = sandbox.environment(
            base: ProcessInfo.processInfo.environment, account: settings.account, region: settings.region, prefix: settings.prefix)
        for stage in settings.plan.stages {
            var runs: [ScriptRun] = []
            for script in stage.scripts {
                progress("stage \(stage.id): sh \(script)")
                let run = try await runScript(script, stage: stage, environment: environment, in: sandbox)
                runs.append(run)
                if !run.succeeded { break }
            }
            var outcome = StageOutcome(stage: stage, scripts: runs, result: nil)
            if outcome.scriptsPassed {
                do {
                    let output = try await check(fake: fake, http: http, ledger: ledger)
                    ledger = output.ledger
                    outcome.result = output.result
                } catch {
                    outcome.checkError = "\(error)"
                }
            }
            stages.append(outcome)
            progress(VerificationText.stageLine(outcome))
            if !outcome.passed { break }
        }

        sandbox.remove()
        try? await http.shutdown()
        await fake.stop()
        await standIns.stop()
        return LabVerification(labId: settings.plan.labId, startedAt: started, finishedAt: Date(), stages: stages)
    }

    private func runScript(_ script: String, stage: LabPlan.Stage, environment: [String: String], in sandbox: LabSandbox) async throws -> ScriptRun {
        let url = settings.labDirectory.appendingPathComponent(script)
        // As the lab runs them (`cd <folder>; sh <script>`), with -e so the first failing command stops
        // the script and -x so the trace names it.
        let process = ScriptProcess(
            arguments: ["sh", "-e", "-x", url.lastPathComponent], environment: environment,
            directory: url.deletingLastPathComponent(), timeout: settings.scriptTimeout)
        let result: ScriptProcess.Result
        do {
            result = try await process.run()
        } catch {
            throw CLIError.couldNotEvaluate("stage \(stage.id): could not start sh for \(script): \(error)")
        }
        let log = settings.logDirectory.appendingPathComponent(stage.id).appendingPathComponent(url.lastPathComponent + ".log")
        try? FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(result.output.utf8).write(to: log)
        return ScriptRun(
            path: script, exitStatus: result.status, timedOut: result.timedOut, durationSeconds: result.seconds,
            lastCommand: ScriptTrace.lastCommand(in: result.output), output: Self.tail(result.output, lines: 60))
    }

    private func check(fake: RunningFakeECR, http: HTTPClient, ledger: EvidenceLedger) async throws -> Evaluator.Output {
        let credentials = Credentials(accessKeyId: "AKIAVERIFYLABFAKEKEY", secretAccessKey: "verify-lab-fake-secret", source: "verify-lab")
        let client = AWSClient(httpClient: http, credentialProvider: StaticCredentialProvider(credentials))
        let ecr = ECRClient(client: client, endpoint: fake.endpoint, region: settings.region)
        let sts = STSClient(client: client, endpoint: fake.endpoint, region: settings.region)
        let current = ledger
        return try await Evaluator(spec: settings.spec, reader: AccountReader(ecr: ecr, sts: sts)).evaluate(
            phase: .all, accountId: settings.account, region: settings.region,
            apiCalls: { client.totalRequests }, loadLedger: { _ in current })
    }

    static func tail(_ text: String, lines: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
