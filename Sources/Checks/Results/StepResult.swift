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
    /// Present when the step passed (now or earlier).
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

    public init(
        id: String, phase: Phase, title: LocalizedText, hint: LocalizedText?, points: Int, earned: Int,
        status: StepStatus, message: LocalizedText, errorType: String? = nil, evidence: Evidence? = nil,
        passedEarlier: Bool = false, durationSeconds: Double = 0, content: ContentVerification? = nil,
        source: EvidenceSource? = nil
    ) {
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
