import Foundation

/// The instructor's grading policy (`--policy FILE`): a deadline with an optional late window and
/// penalty, a pass score, per-step points, and waivers. Loaded and validated by `PolicyLoader`;
/// applied to a graded result by `apply(to:…)` (GradingPolicy+Apply.swift).
public struct GradingPolicy: Sendable, Hashable {
    public static let supportedSchemaVersions = [1]

    /// Where it was read from, and the digest of its text ("sha256:…").
    public var source: String?
    public var digest: String?
    /// Work after this earns nothing, unless within the late window.
    public var deadline: Date?
    /// Work after the deadline and up to this earns its points less `latePenaltyPerDay` percent per day
    /// (or part of a day) late. A student's own deadline (roster) moves the window by as much.
    public var lateUntil: Date?
    public var latePenaltyPerDay: Int
    /// The percentage a student must reach (the exit code of `check`; `--pass-score` wins).
    public var passScore: Double?
    /// Step id -> the points it is worth under this policy.
    public var points: [String: Int]
    public var waivers: [Waiver]

    public init(
        source: String? = nil, digest: String? = nil, deadline: Date? = nil, lateUntil: Date? = nil, latePenaltyPerDay: Int = 0,
        passScore: Double? = nil, points: [String: Int] = [:], waivers: [Waiver] = []
    ) {
        self.source = source
        self.digest = digest
        self.deadline = deadline
        self.lateUntil = lateUntil
        self.latePenaltyPerDay = latePenaltyPerDay
        self.passScore = passScore
        self.points = points
        self.waivers = waivers
    }

    /// A recorded exception: `step` is waived for `student` (nil: the whole class) until `expires`.
    public struct Waiver: Sendable, Hashable {
        public var student: String?
        public var step: String
        public var reason: String
        public var expires: Date
        public var grant: WaiverGrant
        /// Line of the waiver in the policy file.
        public var line: Int

        public init(student: String?, step: String, reason: String, expires: Date, grant: WaiverGrant, line: Int) {
            self.student = student
            self.step = step
            self.reason = reason
            self.expires = expires
            self.grant = grant
            self.line = line
        }
    }

    /// The step's points under this policy.
    public func points(of step: StepSpec) -> Int { points[step.id] ?? step.points }

    /// Waivers naming a student who is not in `studentIds` (a typo would silently waive nothing).
    public func checkStudents(_ studentIds: Set<String>) throws {
        for waiver in waivers {
            if let student = waiver.student, !studentIds.contains(student) {
                throw SpecError(file: source ?? "policy", line: waiver.line, field: "waivers.student",
                                problem: "student '\(student)' is not in the roster")
            }
        }
    }

    /// The waiver for this step and student: the student's own before the class's.
    func waiver(step: String, student: String?) -> Waiver? {
        let forStep = waivers.filter { $0.step == step }
        return forStep.first { $0.student != nil && $0.student == student } ?? forStep.first { $0.student == nil }
    }
}
