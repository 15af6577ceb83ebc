import Foundation

/// What `labcheck verify-lab` saw: each stage's scripts as they ran, and the checker's result after it.
public struct LabVerification: Sendable {
    public var labId: String
    public var startedAt: Date
    public var finishedAt: Date
    public var stages: [StageOutcome]

    public init(labId: String, startedAt: Date, finishedAt: Date, stages: [StageOutcome]) {
        self.labId = labId
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.stages = stages
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

    public init(path: String, exitStatus: Int32, timedOut: Bool = false, durationSeconds: Double, lastCommand: String?, output: String) {
        self.path = path
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.durationSeconds = durationSeconds
        self.lastCommand = lastCommand
        self.output = output
    }

    public var succeeded: Bool { exitStatus == 0 && !timedOut }
}
