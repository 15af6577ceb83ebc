import Foundation

extension Evaluator {
    /// The prefixes of the cache rules captured so far: repositories under them are filled by pulls, not pushes.
    static func cachePrefixes(_ spec: LabSpec, _ variables: [String: String]) -> [String] {
        spec.steps.compactMap { step -> String? in
            guard case .pullThroughCacheRulePresent(_, _, let capture?) = step.check else { return nil }
            return variables[capture]
        }
    }

    /// When the build was finished: the latest time at which a build step was proven — its trail
    /// event, its ledger date, or for a step seen live, the event that made it (when the history has it).
    static func buildFinish(
        _ spec: LabSpec, results: [String: StepResult], ledger: EvidenceLedger, context: CheckContext,
        variables: [String: String], history: inout HistoryConsultation
    ) async -> BuildFinish? {
        var latest: BuildFinish?
        for step in spec.steps where step.phase == .build {
            guard let result = results[step.id], result.status == .passed else { continue }
            var time: Date?
            switch result.source {
            case .trail: time = result.evidence?.event?.eventTime
            case .ledger: time = result.evidence?.firstPassedAt
            case .live, nil:
                time = await history.ask({ try await context.trailOutcome(
                    step.check, variables: variables, history: $0, cachePrefixes: cachePrefixes(spec, variables)) })?.event?.eventTime
            }
            if let time, latest.map({ time > $0.time }) ?? true { latest = BuildFinish(time: time, stepId: step.id) }
        }
        return latest
    }

    /// A cleanup step's live outcome with the history's order of events applied.
    static func orderCleanup(
        _ outcome: StepOutcome, _ check: CheckKind, variables: [String: String], build: BuildFinish?, context: CheckContext,
        history: inout HistoryConsultation
    ) async -> StepOutcome {
        switch outcome.status {
        case .passed:
            switch await history.ask({ try await context.cleanupFromTrail(check, variables: variables, build: build, history: $0) }) {
            case .deletedAfterBuild(let fromTrail)?: return fromTrail
            case .deletedBeforeBuild(let message)?: return .failed(message)
            case .notInHistory?: history.deletionNotInHistory = true; return outcome
            case nil: return outcome
            }
        case .failed:
            guard let note = await history.ask({ try await context.recreatedAfterDeletion(check, variables: variables, history: $0) }) else { return outcome }
            var failed = outcome
            failed.message = LocalizedText(ko: outcome.message.ko + "; " + note.ko, en: outcome.message.en + "; " + note.en)
            return failed
        default:
            return outcome
        }
    }
}
