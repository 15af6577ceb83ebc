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
        /// `--policy lab`: each script runs first as a principal holding only these policies.
        var policies: LabPolicies?
    }

    let settings: Settings
    let progress: @Sendable (String) -> Void

    /// The registry host the lab's scripts push to: `<account>.dkr.ecr.<region>.amazonaws.com`.
    var registryHost: String { "\(settings.account).dkr.ecr.\(settings.region).amazonaws.com" }

    func run() async throws -> LabVerification {
        let started = Date()
        let accounts = try settings.policies?.accountsFile(account: settings.account, administrator: LabSandbox.administrator)
        let world = try await LabWorld.start(
            account: settings.account, region: settings.region, registryHost: registryHost,
            upstreamImages: settings.upstreamImages, programs: settings.programs, accounts: accounts, progress: progress)
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
            if let policies = settings.policies {
                progress("policy lab: each script runs first as \(LabPolicies.principal(account: settings.account)), holding only "
                    + policies.documents.map(\.file).joined(separator: ", ") + " (fake ECR enforcing IAM); what it is refused is reported, "
                    + "and the script then runs again as the account's administrator")
            }
            let stages = try await runStages(in: world, pins: pins)
            await world.shutdown(dockerdLog: dockerdLog)
            let leastPrivilege = settings.policies.map {
                LabVerification.LeastPrivilege(principal: LabPolicies.principal(account: settings.account), policyFiles: $0.documents.map(\.file))
            }
            return LabVerification(labId: settings.plan.labId, startedAt: started, finishedAt: Date(), stages: stages, leastPrivilege: leastPrivilege)
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
        let credentials = LabSandbox.administrator
        let environment = world.sandbox.environment(
            base: ProcessInfo.processInfo.environment, account: settings.account, region: settings.region, prefix: settings.prefix,
            dockerHost: world.daemon?.host)
        for stage in settings.plan.stages {
            var runs: [ScriptRun] = []
            for script in stage.scripts {
                InterruptCleanup.shared.holdIfInterrupted()
                progress("stage \(stage.id): sh \(script)")
                let run = try await runScript(script, stage: stage, environment: environment, world: world)
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

    /// One script as the lab runs it; with `--policy lab` first as the lab student (`probe`), and again as the
    /// administrator when the student was refused something or the script failed.
    private func runScript(_ script: String, stage: LabPlan.Stage, environment: [String: String], world: LabWorld) async throws -> ScriptRun {
        guard settings.policies != nil else { return try await runScript(script, stage: stage, environment: environment) }
        var student = environment
        student["AWS_ACCESS_KEY_ID"] = LabPolicies.credentials.accessKeyId
        student["AWS_SECRET_ACCESS_KEY"] = LabPolicies.credentials.secretAccessKey
        let principal = LabPolicies.principal(account: settings.account)
        let before = await world.fake.trail(accountId: settings.account, region: settings.region).count
        let result = try await execute(script, stage: stage, environment: student, stopOnError: false, logSuffix: ".policy-lab")
        let recorded = await world.fake.trail(accountId: settings.account, region: settings.region).dropFirst(before)
            .filter { $0.userIdentity.arn == principal }
            .compactMap { PolicyRefusal.Recorded(errorMessage: $0.errorMessage, userAgent: $0.userAgent) }
        let refusals = PolicyRefusal.all(in: result.output, traceMarker: ScriptTrace.marker, recorded: Array(recorded))
        let clean = refusals.isEmpty && result.status == 0 && !result.timedOut
        for refusal in refusals {
            progress("policy lab: \(script): refused \(refusal.action)\(refusal.resource.map { " on " + $0 } ?? "")"
                + (refusal.command.map { " at: " + $0 } ?? ""))
        }
        let probe = PolicyProbe(exitStatus: result.status, timedOut: result.timedOut, refusals: refusals, rerunAsAdministrator: !clean)
        if clean {
            // The student's run did everything: it is the run that counts (its log is the script's log).
            var run = Self.scriptRun(script, result)
            run.probe = probe
            try? Data(result.output.utf8).write(to: log(of: script, stage: stage))
            return run
        }
        progress("stage \(stage.id): sh \(script) again as the account's administrator")
        var run = try await runScript(script, stage: stage, environment: environment)
        run.probe = probe
        return run
    }

    private func runScript(_ script: String, stage: LabPlan.Stage, environment: [String: String]) async throws -> ScriptRun {
        let result = try await execute(script, stage: stage, environment: environment, stopOnError: true, logSuffix: "")
        return Self.scriptRun(script, result)
    }

    static func scriptRun(_ script: String, _ result: ScriptProcess.Result) -> ScriptRun {
        ScriptRun(
            path: script, exitStatus: result.status, timedOut: result.timedOut, durationSeconds: result.seconds,
            lastCommand: ScriptTrace.lastCommand(in: result.output), output: Self.tail(result.output, lines: 60))
    }

    private func log(of script: String, stage: LabPlan.Stage, suffix: String = "") -> URL {
        let name = URL(fileURLWithPath: script).lastPathComponent
        return settings.logDirectory.appendingPathComponent(stage.id).appendingPathComponent(name + suffix + ".log")
    }

    /// Runs the script as the lab runs it (`cd <folder>; sh <script>`), with -x so the trace names each command and,
    /// when `stopOnError`, -e so the first failing command stops it; its whole output goes to its log.
    private func execute(
        _ script: String, stage: LabPlan.Stage, environment: [String: String], stopOnError: Bool, logSuffix: String
    ) async throws -> ScriptProcess.Result {
        let url = settings.labDirectory.appendingPathComponent(script)
        let process = ScriptProcess(
            arguments: ["sh"] + (stopOnError ? ["-e"] : []) + ["-x", url.lastPathComponent], environment: environment,
            directory: url.deletingLastPathComponent(), timeout: settings.scriptTimeout)
        let result: ScriptProcess.Result
        do {
            result = try await process.run()
        } catch {
            throw CLIError.couldNotEvaluate("stage \(stage.id): could not start sh for \(script): \(error)")
        }
        let log = log(of: script, stage: stage, suffix: logSuffix)
        try? FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(result.output.utf8).write(to: log)
        return result
    }

    static func tail(_ text: String, lines: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
