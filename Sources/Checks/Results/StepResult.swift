import Foundation

/// The graded result of one step.
public struct StepResult: Codable, Sendable, Hashable {
    public var id: String
    public var phase: Phase
    public var title: LocalizedText
    /// What to do next when the step did not pass.
    public var hint: LocalizedText?
    /// Points the step is worth.
    public var points: Int
    /// Points earned: `points` when passed, else 0.
    public var earned: Int
    public var status: StepStatus
    /// For failed/error/skipped: what was expected and what was found. For passed: what was seen.
    public var message: LocalizedText
    /// For errors: a machine-readable cause, e.g. "AccessDeniedException" or "ConnectionRefused".
    public var errorType: String?
    /// Present when the step passed (now or earlier), or, for a step earning part of its points, the
    /// evidence of the part done when the history holds it.
    public var evidence: Evidence?
    /// True when the step passes only because the ledger recorded an earlier pass.
    public var passedEarlier: Bool
    /// For an image step that compares with an upstream image: whether the pass rests on content.
    public var content: ContentVerification?
    /// Where the evidence of a pass came from: `live`, `ledger` (an earlier run saw it) or `trail`
    /// (the CloudTrail history; `evidence.event` names the event). Nil when the step did not pass.
    public var source: EvidenceSource?
    /// Wall time spent evaluating this step (shared calls counted once, by the first step that needed them).
    public var durationSeconds: Double
    /// What was checked, in words with the values filled in ("repositoriesAbsent: a, b"); nil in older documents.
    public var check: String?
    /// For a check made of several conditions (one per repository of `repositoriesAbsent`): each, met or not.
    public var conditions: [StepCondition]?
    /// The spec gives this step credit per condition (`credit: perCondition`): a step that did not pass
    /// whole earns its points in proportion to the conditions met.
    public var creditPerCondition: Bool
    /// What the grading policy did to the step (points, deadline, waiver); nil without a policy.
    public var policy: StepPolicy?

    public init(
        id: String, phase: Phase, title: LocalizedText, hint: LocalizedText?, points: Int, earned: Int,
        status: StepStatus, message: LocalizedText, errorType: String? = nil, evidence: Evidence? = nil,
        passedEarlier: Bool = false, durationSeconds: Double = 0, content: ContentVerification? = nil,
        source: EvidenceSource? = nil, check: String? = nil, conditions: [StepCondition]? = nil, creditPerCondition: Bool = false,
        policy: StepPolicy? = nil
    ) {
        self.check = check
        self.conditions = conditions
        self.creditPerCondition = creditPerCondition
        self.policy = policy
        self.source = source ?? (status == .passed ? evidence.map { passedEarlier ? .ledger : $0.source } : nil)
        self.id = id
        self.phase = phase
        self.title = title
        self.hint = hint
        self.points = points
        self.earned = earned
        self.status = status
        self.message = message
        self.errorType = errorType
        self.evidence = evidence
        self.passedEarlier = passedEarlier
        self.content = content
        self.durationSeconds = durationSeconds
    }
}

extension StepResult {
    /// The conditions met and missing (empty without conditions).
    public var metConditions: [String] { (conditions ?? []).filter(\.met).map(\.name) }
    public var missingConditions: [String] { (conditions ?? []).filter { !$0.met }.map(\.name) }

    /// True when the step did not pass whole but earns part of its points for the conditions met.
    public var isPartial: Bool {
        creditPerCondition && status == .failed && !metConditions.isEmpty && !missingConditions.isEmpty
    }

    /// True when the work came after the deadline (whether or not it still earns points).
    public var isLate: Bool { policy?.late != nil }

    /// The points the step earns before any policy: all when passed, the share of conditions met when
    /// partial (rounded down to a whole point), else none.
    public var creditEarned: Int {
        if status == .passed { return points }
        guard isPartial, let conditions, !conditions.isEmpty else { return 0 }
        return points * metConditions.count / conditions.count
    }
}
