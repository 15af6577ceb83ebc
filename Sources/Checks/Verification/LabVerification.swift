import Foundation

/// What `labcheck verify-lab` saw: each stage's scripts as they ran, and the checker's result after it.
public struct LabVerification: Sendable {
    public var labId: String
    public var startedAt: Date
    public var finishedAt: Date
    public var stages: [StageOutcome]
    /// With `--policy lab`: the principal the scripts ran as first and the policies it held.
    public var leastPrivilege: LeastPrivilege?

    public init(labId: String, startedAt: Date, finishedAt: Date, stages: [StageOutcome], leastPrivilege: LeastPrivilege? = nil) {
        self.labId = labId
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.stages = stages
        self.leastPrivilege = leastPrivilege
    }

    /// Who the scripts ran as under `--policy lab`.
    public struct LeastPrivilege: Sendable {
        /// The principal's ARN.
        public var principal: String
        /// The files of the policies it held (relative to the lab folder), in the order given.
        public var policyFiles: [String]

        public init(principal: String, policyFiles: [String]) {
            self.principal = principal
            self.policyFiles = policyFiles
        }
    }

    /// Every refusal of a least-privilege run, with the stage and script it happened in.
    public var refusals: [(stage: String, script: String, refusal: PolicyRefusal)] {
        stages.flatMap { stage in
            stage.scripts.flatMap { run in (run.probe?.refusals ?? []).map { (stage.stage.id, run.path, $0) } }
        }
    }

    /// The actions refused, once each, in the order first refused.
    public var refusedActions: [String] {
        var seen: [String] = []
        for (_, _, refusal) in refusals where !seen.contains(refusal.action) { seen.append(refusal.action) }
        return seen
    }

    /// The first stage that did not pass.
    public var firstFailure: StageOutcome? { stages.first { !$0.passed } }
    public var durationSeconds: Double { finishedAt.timeIntervalSince(startedAt) }
}

/// One stage: its scripts, then the check.
public struct StageOutcome: Sendable {
    public var stage: LabPlan.Stage
    /// The scripts that ran (the stage stops at the first failure, so a failed script is the last).
    public var scripts: [ScriptRun]
    /// The checker's result after the scripts; nil when a script failed or the check could not run.
    public var result: LabResult?
    /// Why the check could not run.
    public var checkError: String?

    public init(stage: LabPlan.Stage, scripts: [ScriptRun], result: LabResult?, checkError: String? = nil) {
        self.stage = stage
        self.scripts = scripts
        self.result = result
        self.checkError = checkError
    }

    public var scriptsPassed: Bool { scripts.count == stage.scripts.count && scripts.allSatisfy(\.succeeded) }
    public var scoreReached: Bool { (result?.percentage ?? -1) >= stage.score - 1e-9 }
    public var passed: Bool { scriptsPassed && scoreReached && checkError == nil }
    public var failedScript: ScriptRun? { scripts.first { !$0.succeeded } }
    /// Build or cleanup steps not passed after this stage (what kept the score down).
    public var missingSteps: [StepResult] { result?.steps.filter { $0.status != .passed } ?? [] }
}

/// One script run with `sh -e -x`.
public struct ScriptRun: Sendable {
    /// Relative to the lab folder, as in the plan.
    public var path: String
    public var exitStatus: Int32
    public var timedOut: Bool
    public var durationSeconds: Double
    /// The last command the shell traced before it stopped (the failing one when the script failed).
    public var lastCommand: String?
    /// Everything the script printed (its trace lines included), cut to the last part.
    public var output: String
    /// With `--policy lab`: the script's run as the least-privileged principal, before this one.
    public var probe: PolicyProbe?

    public init(
        path: String, exitStatus: Int32, timedOut: Bool = false, durationSeconds: Double, lastCommand: String?, output: String, probe: PolicyProbe? = nil
    ) {
        self.path = path
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.durationSeconds = durationSeconds
        self.lastCommand = lastCommand
        self.output = output
        self.probe = probe
    }

    public var succeeded: Bool { exitStatus == 0 && !timedOut }
}

/// A script run as the principal holding only the lab text's policies (`verify-lab --policy lab`): with `sh -x` and
/// without `-e`, so that every command runs and each refusal shows. When something was refused the script is run
/// again as the account's administrator, so that the next stage starts from the state the lab means it to.
public struct PolicyProbe: Sendable {
    public var exitStatus: Int32
    public var timedOut: Bool
    public var refusals: [PolicyRefusal]
    /// Whether the run that counts is a second one, as the administrator.
    public var rerunAsAdministrator: Bool

    public init(exitStatus: Int32, timedOut: Bool, refusals: [PolicyRefusal], rerunAsAdministrator: Bool) {
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.refusals = refusals
        self.rerunAsAdministrator = rerunAsAdministrator
    }
}
