import Foundation

/// The grading policy a result was graded under, as every report records it.
public struct PolicySummary: Codable, Sendable, Hashable {
    /// The policy file, as given; nil when only a roster's deadline applied.
    public var file: String?
    /// "sha256:<hex>" of the policy file's text.
    public var digest: String?
    /// The deadline that applied to this student, and where it came from.
    public var deadline: Date?
    public var deadlineSource: DeadlineSource?
    /// The end of the late window for this student, and the penalty per day (or part of a day) late, in percent.
    public var lateUntil: Date?
    public var latePenaltyPerDay: Int?
    /// The percentage a student must reach.
    public var passScore: Double?

    public init(
        file: String?, digest: String?, deadline: Date?, deadlineSource: DeadlineSource?, lateUntil: Date?, latePenaltyPerDay: Int?,
        passScore: Double?
    ) {
        self.file = file
        self.digest = digest
        self.deadline = deadline
        self.deadlineSource = deadlineSource
        self.lateUntil = lateUntil
        self.latePenaltyPerDay = latePenaltyPerDay
        self.passScore = passScore
    }

    /// Where a student's deadline came from.
    public enum DeadlineSource: String, Codable, Sendable, Hashable {
        /// The policy file's class deadline.
        case policy
        /// The roster's `deadline` column for this student.
        case roster
    }
}
