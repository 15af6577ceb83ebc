import Checks
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// The grading policy applied to real gradings: the fake's trail (events with their times) decides
/// when work was done; deadlines, late penalties, per-student deadlines, partial credit and waivers.
@Suite("Grading policy")
struct PolicyGradingTests {
    let spec: LabSpec

    init() throws {
        spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
    }

    static func time(_ text: String) -> Date {
        ISO8601Text.dateTime(text) ?? .distantPast
    }

    /// The fixtures' work of 2 April 2025: build 06:49–07:30, cache rule 08:33, pull 08:52, cleanup 09:30.
    static let deadline = time("2025-04-02T08:00:00Z")

    func policy(_ text: String) throws -> GradingPolicy {
        try PolicyLoader.parse("schemaVersion: 1\n" + text, file: "policy.yaml", spec: spec)
    }

    /// Grades fixture state `name` (or a state file) with an empty ledger.
    func grade(
        _ name: String? = nil, stateFile: URL? = nil, policy: GradingPolicy?, studentId: String? = nil, deadline: Date? = nil
    ) async throws -> LabResult {
        let ledger = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: ledger) }
        return try await TestFakeECR.with(TestFakeECR.historyConfiguration()) { fake in
            if let name { try await fake.load(state: name) }
            if let stateFile { try await fake.load(stateAt: stateFile) }
            return try await fake.grade(spec, ledgerDirectory: ledger, policy: policy, studentId: studentId, deadline: deadline)
        }
    }

    func step(_ result: LabResult, _ id: String) throws -> StepResult {
        try #require(result.steps.first { $0.id == id }, "no step \(id)")
    }

    @Test("work before the deadline earns its points, work after it none: each step's time is its trail event's")
    func beforeAndAfterTheDeadline() async throws {
        let result = try await grade("cleaned-up-with-history", policy: policy("deadline: 2025-04-02T08:00:00Z\n"))
        for id in ["repo-aws-lbc", "repo-cluster-autoscaler", "repo-nginx", "image-aws-lbc", "image-cluster-autoscaler", "image-nginx"] {
            let onTime = try step(result, id)
            #expect(onTime.status == .passed)
            #expect(onTime.earned == onTime.points, "\(id)")
            #expect(onTime.policy?.late == nil, "\(id)")
            #expect(onTime.policy?.workTimeSource == .trail)
            #expect(onTime.policy?.workTime == onTime.evidence?.event?.eventTime)
            #expect(onTime.policy?.rules.first?.en.hasPrefix("on time: CloudTrail event") == true, "\(String(describing: onTime.policy?.rules))")
        }
        for id in ["cache-rule", "cache-nginx", "cleanup-cache-rule", "cleanup-repositories"] {
            let late = try step(result, id)
            #expect(late.status == .passed, "a late step is still done: it unlocks the steps that need it")
            #expect(late.earned == 0, "\(id)")
            #expect(late.isLate)
            #expect(late.policy?.late?.withinLateWindow == false)
            #expect(late.policy?.workTimeSource == .trail)
            #expect(late.policy?.rules.last?.en.contains("after the deadline: CloudTrail event") == true, "\(String(describing: late.policy?.rules))")
        }
        #expect(try step(result, "cache-rule").policy?.workTime == Self.time("2025-04-02T08:33:25Z"))
        #expect(result.earnedPoints == 45)
        #expect(result.policy?.deadline == Self.deadline)
        #expect(result.policy?.deadlineSource == .policy)
    }

    @Test("within the late window each day (or part of one) late takes the penalty off")
    func latePenalty() async throws {
        let policy = try policy("deadline: 2025-04-02T08:00:00Z\nlateUntil: 2025-04-04T08:00:00Z\nlatePenaltyPerDay: 10\n")
        let result = try await grade("cleaned-up-with-history", policy: policy)
        let rule = try step(result, "cache-rule")
        #expect(rule.policy?.late == LateCredit(daysLate: 1, penaltyPercent: 10, withinLateWindow: true))
        #expect(rule.earned == 13, "15 points less 10%, rounded down")
        #expect(rule.policy?.rules.last?.en.contains("1 day(s) after the deadline 2025-04-02T08:00:00Z → 10% a day, 10% off: 15 → 13") == true,
                "\(String(describing: rule.policy?.rules))")
        #expect(try step(result, "cleanup-cache-rule").earned == 9)
        #expect(result.earnedPoints == 45 + 13 + 13 + 9 + 13)
        #expect(result.lateCount == 4)
    }

    @Test("a student's own deadline (roster) overrides the class's, and moves the late window with it")
    func perStudentDeadline() async throws {
        let policy = try policy("deadline: 2025-04-02T08:00:00Z\nlateUntil: 2025-04-04T08:00:00Z\nlatePenaltyPerDay: 10\n")
        let extended = try await grade("cleaned-up-with-history", policy: policy, deadline: Self.time("2025-04-02T10:00:00Z"))
        #expect(extended.percentage == 100)
        #expect(extended.lateCount == 0)
        #expect(extended.policy?.deadlineSource == .roster)
        #expect(extended.policy?.lateUntil == Self.time("2025-04-04T10:00:00Z"))
        let earlier = try await grade("cleaned-up-with-history", policy: policy, deadline: Self.time("2025-04-01T08:00:00Z"))
        let rule = try step(earlier, "cache-rule")
        #expect(rule.policy?.late == LateCredit(daysLate: 2, penaltyPercent: 20, withinLateWindow: true))
        #expect(rule.earned == 12)
        // Without a policy file, a roster deadline alone: no late window.
        let alone = try await grade("cleaned-up-with-history", policy: nil, deadline: Self.deadline)
        #expect(alone.earnedPoints == 45)
        #expect(alone.policy?.file == nil)
    }

    @Test("partial credit per condition: three of four repositories deleted earn 3/4 of the points, naming the missing one")
    func partialCredit() async throws {
        let result = try await grade("partly-cleaned-up-with-history", policy: nil)
        let cleanup = try step(result, "cleanup-repositories")
        #expect(cleanup.status == .failed)
        #expect(cleanup.isPartial)
        #expect(cleanup.earned == 11, "15 × 3/4, rounded down")
        #expect(cleanup.missingConditions == ["public-ecr-9641173/nginx/nginx"])
        #expect(cleanup.metConditions.count == 3)
        #expect(cleanup.message.en.contains("public-ecr-9641173/nginx/nginx"))
        #expect(cleanup.check?.hasPrefix("repositoriesAbsent: public.ecr.aws/eks/aws-load-balancer-controller, ") == true)
        #expect(cleanup.evidence?.event?.eventName == "DeleteRepository", "the part done has its event")
        #expect(result.earnedPoints == 85 + 11)
        // The part done has its time too: the latest of its deletions (09:30:12), one day late here.
        let late = try await grade("partly-cleaned-up-with-history", policy: policy(
            "deadline: 2025-04-02T08:00:00Z\nlateUntil: 2025-04-04T08:00:00Z\nlatePenaltyPerDay: 10\n"))
        let lateCleanup = try step(late, "cleanup-repositories")
        #expect(lateCleanup.policy?.workTime == Self.time("2025-04-02T09:30:12Z"))
        #expect(lateCleanup.earned == 9)
        #expect(lateCleanup.policy?.rules.first?.en.hasPrefix("partial credit: 3 of 4 conditions met → 11/15 (missing: public-ecr-9641173/nginx/nginx)") == true)
    }

    @Test("a live-only pass after the deadline is late, and says it was counted when seen")
    func liveOnlyAfterTheDeadline() async throws {
        let result = try await grade("complete", policy: policy("deadline: 2025-04-02T08:00:00Z\n"))
        let repo = try step(result, "repo-nginx")
        #expect(repo.status == .passed)
        #expect(repo.source == .live)
        #expect(repo.earned == 0)
        #expect(repo.policy?.workTimeSource == .live)
        #expect(repo.policy?.rules.last?.en.contains("seen only in the live state, so counted as done when this grading saw it") == true,
                "\(String(describing: repo.policy?.rules))")
        #expect(result.earnedPoints == 0)
    }

    @Test("a live pass after the deadline whose trail event came before it is on time")
    func livePassDoneBeforeTheDeadline() async throws {
        // The complete lab live, with the history of how it was built (cleaned-up-with-history's build events).
        let complete = try JSONSerialization.jsonObject(with: Data(contentsOf: RepositoryFiles.state("complete"))) as? [String: Any]
        let history = try JSONSerialization.jsonObject(with: Data(contentsOf: RepositoryFiles.state("cleaned-up-with-history"))) as? [String: Any]
        var registries = try #require(complete?["registries"] as? [[String: Any]])
        let trail = try #require((history?["registries"] as? [[String: Any]])?.first?["trail"] as? [[String: Any]])
        registries[0]["trail"] = trail.filter { !(($0["eventName"] as? String) ?? "").hasPrefix("Delete") }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("complete-with-history.json")
        try JSONSerialization.data(withJSONObject: ["schemaVersion": 1, "registries": registries]).write(to: file)

        let result = try await grade(stateFile: file, policy: policy("deadline: 2025-04-02T09:00:00Z\n"))
        for step in result.steps where step.phase == .build {
            #expect(step.source == .live, "\(step.id)")
            #expect(step.earned == step.points, "\(step.id): \(String(describing: step.policy?.rules))")
            #expect(step.policy?.workTimeSource == .trail, "\(step.id)")
        }
        #expect(result.earnedPoints == 75)
    }

    @Test("waivers: one that applies (points or out of the total), one that has expired (ignored, with a warning)")
    func waivers() async throws {
        let policy = try policy("""
            waivers:
              - { student: s03, step: image-aws-lbc, reason: "upstream outage", expires: 2099-01-01, grant: points }
              - { step: image-nginx, reason: "nginx not in the class's mirror", expires: 2099-01-01, grant: exclude }
              - { student: s03, step: image-cluster-autoscaler, reason: "old exception", expires: 2025-01-01 }
              - { student: s04, step: image-cluster-autoscaler, reason: "someone else's", expires: 2099-01-01 }
            """)
        let result = try await grade("after-create", policy: policy, studentId: "s03")
        let granted = try step(result, "image-aws-lbc")
        #expect(granted.status == .waived)
        #expect(granted.earned == 10)
        #expect(granted.policy?.waiver?.reason == "upstream outage")
        #expect(granted.policy?.waiver?.applied == true)
        let excluded = try step(result, "image-nginx")
        #expect(excluded.status == .waived)
        #expect(excluded.points == 0)
        #expect(excluded.policy?.specPoints == 10)
        #expect(excluded.policy?.waiver?.student == nil)
        let expired = try step(result, "image-cluster-autoscaler")
        #expect(expired.status == .failed)
        #expect(expired.earned == 0)
        #expect(expired.policy?.waiver?.applied == false)
        #expect(result.warnings.map(\.code) == [.waiverExpired])
        #expect(result.warnings.first?.message.en.contains("expired at 2025-01-01T23:59:59Z and was ignored: old exception") == true)
        #expect(result.earnedPoints == 15 + 10)
        #expect(result.totalPoints == 90)
        #expect(result.count(.waived) == 2)
    }

    @Test("per-step points of the policy replace the spec's, in the step and the total")
    func pointsOverride() async throws {
        let result = try await grade("complete", policy: policy("steps:\n  repo-nginx:\n    points: 20\n"))
        let repo = try step(result, "repo-nginx")
        #expect(repo.points == 20)
        #expect(repo.earned == 20)
        #expect(repo.policy?.specPoints == 5)
        #expect(result.totalPoints == 115)
    }
}
