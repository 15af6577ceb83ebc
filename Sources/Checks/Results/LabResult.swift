import Foundation

/// The graded result of one lab for one account: what every report is written from.
public struct LabResult: Codable, Sendable, Hashable {
    /// Version of this document's shape (summary.json); bumped on incompatible changes.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var labId: String
    public var labTitle: LocalizedText
    /// The graded account and region, when known.
    public var accountId: String?
    public var region: String?
    /// Who was graded (a roster's student id), when grading a class.
    public var studentId: String?
    public var phase: PhaseSelection
    public var startedAt: Date
    public var finishedAt: Date
    /// Steps in spec order; steps outside `phase` are not listed.
    public var steps: [StepResult]
    /// Number of API calls this run made.
    public var apiCalls: Int
    /// What the reader must know beside the steps (history denied or unreachable, its delivery lag).
    public var warnings: [ResultWarning]
    /// The spec's digest ("sha256:…", `LabSpec.digest`) and the labcheck version that graded: which
    /// rules made the grade. Nil in documents written before they were recorded.
    public var specDigest: String?
    public var labcheckVersion: String?
    /// The grading policy that applied (file, digest, deadline, pass score); nil without one.
    public var policy: PolicySummary?

    public init(
        labId: String, labTitle: LocalizedText, accountId: String?, region: String?, studentId: String? = nil,
        phase: PhaseSelection, startedAt: Date, finishedAt: Date, steps: [StepResult], apiCalls: Int,
        warnings: [ResultWarning] = [], specDigest: String? = nil, labcheckVersion: String? = nil, policy: PolicySummary? = nil
    ) {
        self.policy = policy
        self.warnings = warnings
        self.schemaVersion = Self.currentSchemaVersion
        self.labId = labId
        self.labTitle = labTitle
        self.accountId = accountId
        self.region = region
        self.studentId = studentId
        self.phase = phase
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.steps = steps
        self.apiCalls = apiCalls
        self.specDigest = specDigest
        self.labcheckVersion = labcheckVersion
    }

    public var totalPoints: Int { steps.reduce(0) { $0 + $1.points } }
    public var earnedPoints: Int { steps.reduce(0) { $0 + $1.earned } }
    /// Earned over total, 0–100, rounded to one decimal; 0 when there is nothing to grade.
    public var percentage: Double {
        guard totalPoints > 0 else { return 0 }
        return (Double(earnedPoints) * 1000 / Double(totalPoints)).rounded() / 10
    }
    public var durationSeconds: Double { finishedAt.timeIntervalSince(startedAt) }
    public func count(_ status: StepStatus) -> Int { steps.filter { $0.status == status }.count }
    public func steps(in phase: Phase) -> [StepResult] { steps.filter { $0.phase == phase } }
    /// True when every graded step passed with all its points (not cut for lateness), or was waived.
    public var allPassed: Bool { steps.allSatisfy { ($0.status == .passed && $0.earned == $0.points) || $0.status == .waived } }
    /// Steps whose work came after the deadline, and steps earning part of their points.
    public var lateCount: Int { steps.filter(\.isLate).count }
    public var partialCount: Int { steps.filter(\.isPartial).count }
    /// True when some step could not be evaluated.
    public var hasErrors: Bool { steps.contains { $0.status == .error } }
}
