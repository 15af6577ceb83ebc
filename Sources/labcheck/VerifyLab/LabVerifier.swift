import AsyncHTTPClient
import AWSCore
import Checks
import ECRWire
import FakeECR
import Foundation
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
        /// Each script's whole output goes to `<logDirectory>/<stage>/<script>.log`.
        var logDirectory: URL
    }

    let settings: Settings
    let progress: @Sendable (String) -> Void

    /// The registry host the lab's scripts push to: `<account>.dkr.ecr.<region>.amazonaws.com`.
    var registryHost: String { "\(settings.account).dkr.ecr.\(settings.region).amazonaws.com" }

    func run() async throws -> LabVerification {
        let started = Date()
        let world = try await LabWorld.start(
            account: settings.account, region: settings.region, registryHost: registryHost,
            upstreamImages: settings.upstreamImages, podman: settings.podman)
        progress("fake ECR at \(world.fake.endpoint.absoluteString) as \(registryHost); upstreams: "
            + world.standIns.authorities.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "))
        do {
            let stages = try await runStages(in: world)
            await world.shutdown()
            return LabVerification(labId: settings.plan.labId, startedAt: started, finishedAt: Date(), stages: stages)
        } catch {
            await world.shutdown()
            throw error
        }
    }

    /// The stages in order, each script then the check; stops after the first stage that does not pass.
    private func runStages(in world: LabWorld) async throws -> [StageOutcome] {
        var stages: [StageOutcome] = []
        var ledger = EvidenceLedger(labId: settings.spec.id, accountId: settings.account, region: settings.region)
        let environment = world.sandbox.environment(
            base: ProcessInfo.processInfo.environment, account: settings.account, region: settings.region, prefix: settings.prefix)
        for stage in settings.plan.stages {
            var runs: [ScriptRun] = []
            for script in stage.scripts {
                progress("stage \(stage.id): sh \(script)")
                let run = try await runScript(script, stage: stage, environment: environment)
                runs.append(run)
                if !run.succeeded { break }
            }
            var outcome = StageOutcome(stage: stage, scripts: runs, result: nil)
            if outcome.scriptsPassed {
                do {
                    let output = try await check(fake: world.fake, http: world.http, ledger: ledger)
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
        return stages
    }

    private func runScript(_ script: String, stage: LabPlan.Stage, environment: [String: String]) async throws -> ScriptRun {
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
