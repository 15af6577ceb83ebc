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
        var programs: LabWorld.Programs
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
            upstreamImages: settings.upstreamImages, programs: settings.programs, progress: progress)
        let dockerdLog = settings.logDirectory.appendingPathComponent("dockerd.log")
        progress("sandbox \(world.sandbox.root.path) in namespace \(LabNamespace.identity("mnt") ?? "?") \(LabNamespace.identity("net") ?? "?"); /etc/hosts there: "
            + world.sandbox.addresses.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "))
        progress("fake ECR at \(world.fake.endpoint.absoluteString) (HTTPS, the run's CA) as \(registryHost); upstreams: "
            + world.standIns.authorities.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "))
        if let daemon = world.daemon {
            progress("client docker: \(await daemon.versions()); dockerd's log: \(dockerdLog.path)")
        } else {
            progress("client podman: \(settings.programs.podman) as docker")
        }
        do {
            // Content checks on: the upstream images pinned from the stand-ins, over HTTP as a client pulls them.
            let pins = try await UpstreamPinning.pin(settings.spec, sources: world.standIns.sources)
            let stages = try await runStages(in: world, pins: pins)
            await world.shutdown(dockerdLog: dockerdLog)
            return LabVerification(labId: settings.plan.labId, startedAt: started, finishedAt: Date(), stages: stages)
        } catch {
            await world.shutdown(dockerdLog: dockerdLog)
            throw error
        }
    }

    /// The stages in order, each script then the check; stops after the first stage that does not pass.
    private func runStages(in world: LabWorld, pins: UpstreamPins) async throws -> [StageOutcome] {
        var stages: [StageOutcome] = []
        // One history across the stages: cleanup is graded on the build the earlier stages showed.
        let grader = AccountGrader(spec: settings.spec, ledgers: MemoryLedgerStore(), pins: pins)
        let credentials = Credentials(accessKeyId: "AKIAVERIFYLABFAKEKEY", secretAccessKey: "verify-lab-fake-secret", source: "verify-lab")
        let environment = world.sandbox.environment(
            base: ProcessInfo.processInfo.environment, account: settings.account, region: settings.region, prefix: settings.prefix,
            dockerHost: world.daemon?.host)
        for stage in settings.plan.stages {
            var runs: [ScriptRun] = []
            for script in stage.scripts {
                InterruptCleanup.shared.holdIfInterrupted()
                progress("stage \(stage.id): sh \(script)")
                let run = try await runScript(script, stage: stage, environment: environment)
                runs.append(run)
                if !run.succeeded { break }
            }
            var outcome = StageOutcome(stage: stage, scripts: runs, result: nil)
            if outcome.scriptsPassed {
                // Clients per stage, so each stage's result counts its own API calls.
                let clients = AccountClients.fixed(credentials, endpoint: world.apiEndpoint, region: settings.region, httpClient: world.http)
                do {
                    outcome.result = try await grader.grade(clients, .init(accountId: settings.account))
                } catch {
                    outcome.checkError = error.description
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

    static func tail(_ text: String, lines: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
