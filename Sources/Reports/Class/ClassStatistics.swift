import Checks

/// Figures of a whole class, derived from a `ClassResult` (never stored: always recomputed, so
/// merged shards give the same figures as one run). Only graded students count; error rows are
/// counted apart.
public struct ClassStatistics: Sendable, Hashable {
    /// How the graded students did on one step.
    public struct StepStatistics: Sendable, Hashable {
        public var id: String
        public var passed: Int
        public var failed: Int
        public var error: Int
        public var skipped: Int
        /// Steps waived by the policy, done after the deadline, or earning part of their points.
        public var waived: Int = 0
        public var late: Int = 0
        public var partial: Int = 0
        /// Graded students whose result does not list this step (a different phase selection).
        public var missing: Int
        /// Graded students.
        public var graded: Int
        /// `ClassResult.passRates[id]`: passed over graded, 0–1 (0 when nobody was graded).
        public var passRate: Double

        public func count(_ status: StepStatus) -> Int {
            switch status {
            case .passed: passed
            case .failed: failed
            case .error: error
            case .skipped: skipped
            case .waived: waived
            }
        }

        /// `passRate` as a percentage rounded to one decimal.
        public var percentage: Double { (passRate * 1000).rounded() / 10 }
    }

    /// Graded students whose percentage is in `lower..<upper` (the last bucket, 90–100, includes 100).
    public struct Bucket: Sendable, Hashable {
        public var lower: Int
        public var upper: Int
        public var count: Int

        /// "0–9", …, "80–89", "90–100".
        public var label: String { upper >= 100 ? "\(lower)–100" : "\(lower)–\(upper - 1)" }
    }

    /// Roster rows.
    public var students: Int
    public var graded: Int
    public var errors: Int
    /// Graded students with every graded point earned (and at least one point to earn).
    public var fullMarks: Int
    /// Mean of the graded students' percentages, rounded to one decimal; nil when nobody was graded.
    public var averagePercentage: Double?
    /// Per step, in `ClassResult.steps` order.
    public var steps: [StepStatistics]
    /// Ten 10-point buckets of the graded students' percentages, 0–9 first.
    public var distribution: [Bucket]

    public init(_ classResult: ClassResult) {
        let graded = classResult.students.compactMap(\.result)
        students = classResult.students.count
        self.graded = graded.count
        errors = classResult.students.count - graded.count
        fullMarks = graded.filter { $0.totalPoints > 0 && $0.earnedPoints == $0.totalPoints }.count
        if graded.isEmpty {
            averagePercentage = nil
        } else {
            let sum = graded.reduce(0.0) { $0 + $1.percentage }
            averagePercentage = (sum * 10 / Double(graded.count)).rounded() / 10
        }
        let rates = classResult.passRates
        steps = classResult.steps.map { column in
            var stats = StepStatistics(
                id: column.id, passed: 0, failed: 0, error: 0, skipped: 0, missing: 0, graded: graded.count,
                passRate: rates[column.id] ?? 0)
            for result in graded {
                let step = result.steps.first { $0.id == column.id }
                if step?.isLate == true { stats.late += 1 }
                if step?.isPartial == true { stats.partial += 1 }
                switch step?.status {
                case .passed: stats.passed += 1
                case .failed: stats.failed += 1
                case .error: stats.error += 1
                case .skipped: stats.skipped += 1
                case .waived: stats.waived += 1
                case nil: stats.missing += 1
                }
            }
            return stats
        }
        var buckets = (0..<10).map { Bucket(lower: $0 * 10, upper: $0 * 10 + 10, count: 0) }
        for result in graded {
            let percentage = result.percentage.isFinite ? result.percentage : 0
            let index = min(9, max(0, Int((percentage / 10).rounded(.down))))
            buckets[index].count += 1
        }
        distribution = buckets
    }

    /// The step's figures, by id.
    public func step(_ id: String) -> StepStatistics? {
        steps.first { $0.id == id }
    }
}

extension StudentOutcome {
    /// The student's status in this step's column: nil for an error row or a step the result does not list.
    func status(of stepId: String) -> StepStatus? {
        result?.steps.first { $0.id == stepId }?.status
    }

    /// The student's result for one step.
    func step(_ stepId: String) -> StepResult? {
        result?.steps.first { $0.id == stepId }
    }
}
