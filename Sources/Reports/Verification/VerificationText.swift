import Checks
import Foundation

/// The lines `labcheck verify-lab` prints, and the wording its JUnit shares: a stage's score
/// against what it must reach, the script and command that broke, the steps that kept a score down.
public enum VerificationText {
    /// `✓ push-images  ECR Repository Image Push  3 scripts, 12.4 s  score 45.0% (needs 45.0%)`
    public static func stageLine(_ outcome: StageOutcome) -> String {
        let stage = outcome.stage
        let seconds = outcome.scripts.reduce(0) { $0 + $1.durationSeconds }
        let mark = outcome.passed ? "✓" : "✗"
        var line = "\(mark) stage \(stage.id) (\(stage.title)): \(outcome.scripts.count)/\(stage.scripts.count) scripts, \(ReportNumbers.oneDecimal(seconds)) s"
        if let result = outcome.result {
            line += ", score \(ReportNumbers.oneDecimal(result.percentage))% (\(result.earnedPoints)/\(result.totalPoints) points; must reach \(ReportNumbers.oneDecimal(stage.score))%)"
        }
        return line
    }

    /// `stage push-images: script 02_image_push/01_aws_lbc_image_push.sh failed (exit 125) at: docker pull …`
    public static func scriptFailure(_ run: ScriptRun, stage: LabPlan.Stage) -> String {
        let how = run.timedOut ? "timed out after \(ReportNumbers.oneDecimal(run.durationSeconds)) s" : "failed (exit \(run.exitStatus))"
        let command = run.lastCommand.map { " at: \(TextSanitizer.singleLine($0))" } ?? ""
        return "stage \(stage.id): script \(run.path) \(how)\(command)"
    }

    /// `stage push-images: score 30.0% is below the 45.0% it must reach`
    public static func scoreShortfall(_ outcome: StageOutcome) -> String {
        let actual = outcome.result.map { ReportNumbers.oneDecimal($0.percentage) + "%" } ?? "unknown"
        return "stage \(outcome.stage.id): score \(actual) is below the \(ReportNumbers.oneDecimal(outcome.stage.score))% it must reach"
    }

    /// One line per step not passed: `  - image-nginx (failed): tag 1.27 not found in …`
    public static func missingStepLines(_ outcome: StageOutcome, language: Language) -> [String] {
        outcome.missingSteps.map { step in
            "  - \(step.id) (\(step.status.rawValue)): \(TextSanitizer.singleLine(step.message.text(language)))"
        }
    }

    /// Why the whole run failed, naming the stage and the command: the line CI shows.
    public static func failureSummary(_ verification: LabVerification, language: Language) -> String? {
        guard let failed = verification.firstFailure else { return nil }
        if let run = failed.failedScript {
            let tail = run.output.split(separator: "\n", omittingEmptySubsequences: true).suffix(12).joined(separator: "\n")
            return scriptFailure(run, stage: failed.stage) + (tail.isEmpty ? "" : "\n--- last output of \(run.path) ---\n\(tail)")
        }
        if let error = failed.checkError { return "stage \(failed.stage.id): the check could not run: \(error)" }
        if !failed.scriptsPassed { return "stage \(failed.stage.id): not every script ran" }
        return ([scoreShortfall(failed)] + missingStepLines(failed, language: language)).joined(separator: "\n")
    }

    /// `--policy lab`: one line per command refused, with the script and the action:
    /// `  03_create_pull_through_cache/02_nginx_image_pull.sh: docker pull … → ecr:BatchImportUpstreamImage on arn:…`
    public static func refusalLines(_ verification: LabVerification) -> [String] {
        verification.refusals.map { refusalLine(script: $0.script, $0.refusal) }
    }

    public static func refusalLine(script: String, _ refusal: PolicyRefusal) -> String {
        let command = refusal.command.map { TextSanitizer.singleLine($0) } ?? "(a command the trace does not name)"
        return "  \(script): \(command) → \(refusal.action)\(refusal.resource.map { " on " + $0 } ?? "")"
    }

    /// `refused under the lab's policies: ecr:CreateRepository` (a script's JUnit failure).
    public static func scriptRefusals(_ run: ScriptRun) -> String? {
        guard let refusals = run.probe?.refusals, !refusals.isEmpty else { return nil }
        var actions: [String] = []
        for refusal in refusals where !actions.contains(refusal.action) { actions.append(refusal.action) }
        return "\(run.path): refused under the lab's policies: \(actions.joined(separator: ", "))"
    }

    /// `--policy lab`: what the run found about the lab's own policy lists, or that they sufficed.
    public static func leastPrivilegeFinding(_ verification: LabVerification) -> String? {
        guard let run = verification.leastPrivilege else { return nil }
        let policies = run.policyFiles.joined(separator: ", ")
        let actions = verification.refusedActions
        guard !actions.isEmpty else {
            return "under the lab's policies (\(policies)) \(run.principal) was refused nothing: every script's every command was allowed"
        }
        let scripts = Set(verification.refusals.map { $0.script }).count
        return "a finding about the lab content: the lab's steps take \(actions.count) action(s) its policies (\(policies)) do not grant; "
            + "\(run.principal) was refused \(actions.joined(separator: ", ")) in \(scripts) script(s)"
    }
}
