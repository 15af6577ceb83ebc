import ECRWire
import Foundation

/// When the build was finished: the latest of the build steps' evidence times, and which step that was.
struct BuildFinish: Sendable {
    var time: Date
    var stepId: String
}

/// What the history says of a cleanup step whose live state agrees (the resources are gone).
enum CleanupVerdict {
    /// Every deletion is in the history, after the build was finished: the latest of them is the evidence.
    case deletedAfterBuild(StepOutcome)
    /// A deletion came before the build was finished: cleanup earns nothing.
    case deletedBeforeBuild(LocalizedText)
    /// Some deletion is not in the history (yet: CloudTrail's lag, or outside the window): the live state decides.
    case notInHistory
}

/// Cleanup judged by real event times: each resource's last successful deletion must come after the
/// build was finished; a resource re-created after its deletion is named (the live state fails then).
extension CheckContext {
    func cleanupFromTrail(
        _ check: CheckKind, variables: [String: String], build: BuildFinish?, history: HistoryReader
    ) async throws -> CleanupVerdict {
        guard let (deleted, names) = try await deletions(check, variables: variables, history: history) else { return .notInHistory }
        var last: [CloudTrailRecord] = []
        for name in names {
            guard let event = deleted.last(where: { $0.name == name })?.event else { return .notInHistory }
            last.append(event)
        }
        if let build {
            let early = zip(names, last).filter { $0.1.eventTime < build.time }
            if !early.isEmpty {
                let list = Self.list(early.map { "\($0.0) (\($0.1.timeText))" })
                return .deletedBeforeBuild(LocalizedText(
                    ko: "빌드가 끝나기 전에 삭제했습니다: \(list); 빌드는 \(CloudTrailRecord.timeText(build.time))('\(build.stepId)')에 끝났습니다. 정리는 빌드가 끝난 뒤에만 점수가 됩니다",
                    en: "deleted before the build was finished: \(list); the build was finished at \(CloudTrailRecord.timeText(build.time)) ('\(build.stepId)'). Cleanup counts only after the build"))
            }
        }
        guard let latest = last.max(by: { $0.eventTime < $1.eventTime }) else { return .notInHistory }
        let whatKo = names.count == 1 ? names[0] : "\(names.count)개 모두"
        let whatEn = names.count == 1 ? names[0] : "all \(names.count)"
        return .deletedAfterBuild(.passed(
            LocalizedText(ko: "\(whatKo) 삭제됨 (마지막 삭제 \(latest.timeText), CloudTrail; 지금도 없음)",
                          en: "\(whatEn) deleted (last deletion at \(latest.timeText), CloudTrail; still absent)"),
            observed: names.count == 1 ? ["deleted": names[0]] : ["deleted": names.joined(separator: ",")], event: latest.reference))
    }

    /// For a cleanup step the live state fails: the resources that were deleted and then made again, with both times.
    func recreatedAfterDeletion(_ check: CheckKind, variables: [String: String], history: HistoryReader) async throws -> LocalizedText? {
        guard let (deleted, names) = try await deletions(check, variables: variables, history: history) else { return nil }
        let createName: String
        switch check {
        case .repositoriesAbsent: createName = ECROperation.createRepository.rawValue
        default: createName = ECROperation.createPullThroughCacheRule.rawValue
        }
        let created = try await history.events(named: createName).filter(\.succeeded)
        var found: [String] = []
        for name in names {
            guard let deletion = deleted.last(where: { $0.name == name })?.event,
                  let again = created.first(where: { ($0.repositoryName == name || $0.ecrRepositoryPrefix == name) && $0.eventTime >= deletion.eventTime })
            else { continue }
            found.append("\(name): \(deletion.timeText) → \(again.timeText)")
        }
        guard !found.isEmpty else { return nil }
        return LocalizedText(
            ko: "삭제한 뒤 다시 만들어졌습니다 (삭제 → 재생성): \(Self.list(found))",
            en: "re-created after its deletion (deleted → created again): \(Self.list(found))")
    }

    /// For a cleanup step met in part: the latest of the last deletions of the resources already gone,
    /// when the history holds each of them (nil otherwise): when that part of the work was done.
    func latestDeletion(of names: [String], _ check: CheckKind, variables: [String: String], history: HistoryReader) async throws -> CloudTrailRecord? {
        guard let (deleted, _) = try await deletions(check, variables: variables, history: history) else { return nil }
        var latest: CloudTrailRecord?
        for name in names {
            guard let event = deleted.last(where: { $0.name == name })?.event else { return nil }
            if latest.map({ event.eventTime > $0.eventTime }) ?? true { latest = event }
        }
        return latest
    }

    /// The successful deletions of the resources `check` wants gone, and their names; nil for other kinds.
    private func deletions(
        _ check: CheckKind, variables: [String: String], history: HistoryReader
    ) async throws -> ([(name: String?, event: CloudTrailRecord)], [String])? {
        guard check.templates.allSatisfy({ $0.render(variables) != nil }) else { return nil }
        switch check {
        case .repositoriesAbsent(let templates):
            let events = try await history.events(named: ECROperation.deleteRepository.rawValue).filter(\.succeeded)
            return (events.map { ($0.repositoryName, $0) }, templates.compactMap { $0.render(variables) })
        case .pullThroughCacheRuleAbsent(let prefix):
            let events = try await history.events(named: ECROperation.deletePullThroughCacheRule.rawValue).filter(\.succeeded)
            return (events.map { ($0.ecrRepositoryPrefix, $0) }, prefix.render(variables).map { [$0] } ?? [])
        default:
            return nil
        }
    }
}
