import Foundation

/// What the instructor's grading policy did to one step: its points, its deadline, a waiver. Kept in
/// every report (summary.json, class.json) so `labcheck explain` can say why without a new API call.
public struct StepPolicy: Codable, Sendable, Hashable {
    /// The spec's points, when the policy gave the step other points.
    public var specPoints: Int?
    /// The deadline that applied (the student's from the roster, or the class's).
    public var deadline: Date?
    /// When the work was done, as its evidence shows (a CloudTrail event's time, the ledger's first
    /// sight, or, for a step only the live state shows, when this grading saw it).
    public var workTime: Date?
    /// Where `workTime` came from.
    public var workTimeSource: EvidenceSource?
    /// Set when the work came after the deadline.
    public var late: LateCredit?
    /// The waiver that applied (status `waived`), or one that expired or was not needed (see `rules`).
    public var waiver: AppliedWaiver?
    /// Every rule applied, in order, in words: the answer to "why did I lose points".
    public var rules: [LocalizedText]

    public init(
        specPoints: Int? = nil, deadline: Date? = nil, workTime: Date? = nil, workTimeSource: EvidenceSource? = nil,
        late: LateCredit? = nil, waiver: AppliedWaiver? = nil, rules: [LocalizedText] = []
    ) {
        self.specPoints = specPoints
        self.deadline = deadline
        self.workTime = workTime
        self.workTimeSource = workTimeSource
        self.late = late
        self.waiver = waiver
        self.rules = rules
    }
}

/// Work done after the deadline.
public struct LateCredit: Codable, Sendable, Hashable {
    /// Days (or parts of a day) after the deadline.
    public var daysLate: Int
    /// Percent of the step's points taken off (100 after the late window).
    public var penaltyPercent: Int
    /// False when the work came after the late window (or there is none): it earns nothing.
    public var withinLateWindow: Bool

    public init(daysLate: Int, penaltyPercent: Int, withinLateWindow: Bool) {
        self.daysLate = daysLate
        self.penaltyPercent = penaltyPercent
        self.withinLateWindow = withinLateWindow
    }
}

/// A waiver of the policy file, as it was applied to a step.
public struct AppliedWaiver: Codable, Sendable, Hashable {
    public var reason: String
    public var expires: Date
    public var grant: WaiverGrant
    /// The student it names; nil for a waiver of the whole class.
    public var student: String?
    /// True when it changed the step (status `waived`); false when it had expired or the step earned its points anyway.
    public var applied: Bool

    public init(reason: String, expires: Date, grant: WaiverGrant, student: String?, applied: Bool) {
        self.reason = reason
        self.expires = expires
        self.grant = grant
        self.student = student
        self.applied = applied
    }
}

/// What a waiver gives.
public enum WaiverGrant: String, Codable, Sendable, Hashable, CaseIterable {
    /// The step's points are earned.
    case points
    /// The step leaves the total (worth 0 points for this student).
    case exclude
}
