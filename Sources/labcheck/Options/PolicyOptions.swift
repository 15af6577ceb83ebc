import ArgumentParser
import Checks
import Foundation

/// `--policy FILE`, for check and grade: the instructor's grading policy (deadline, late window,
/// pass score, per-step points, waivers), validated against the spec at load time.
struct PolicyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The grading policy as YAML: deadline, lateUntil, latePenaltyPerDay, passScore, per-step points, waivers.",
        valueName: "file"))
    var policy: String?

    /// The policy of `--policy`, or nil without one.
    func load(for spec: LabSpec) throws -> GradingPolicy? {
        guard let policy else { return nil }
        guard FileManager.default.fileExists(atPath: policy) else {
            throw CLIError.badInput("\(policy): no such file (the grading policy given with --policy)")
        }
        return try PolicyLoader.load(contentsOf: URL(fileURLWithPath: policy), spec: spec)
    }
}
