import Foundation

/// One roster row's outcome: a graded lab, or an error row (bad roster line, role not assumable,
/// endpoint unreachable) that explains why this student has no grade.
public struct StudentOutcome: Codable, Sendable, Hashable {
    public var studentId: String
    public var name: String?
    public var accountId: String?
    /// Line of the roster file the student came from.
    public var rosterLine: Int
    /// The graded lab; nil for an error row.
    public var result: LabResult?
    /// Why there is no grade (nil when graded).
    public var error: StudentError?

    public init(studentId: String, name: String?, accountId: String?, rosterLine: Int, result: LabResult?, error: StudentError?) {
        self.studentId = studentId
        self.name = name
        self.accountId = accountId
        self.rosterLine = rosterLine
        self.result = result
        self.error = error
    }
}

/// A whole class graded at once: what the class reports are written from.
public struct ClassResult: Codable, Sendable, Hashable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var labId: String
    public var labTitle: LocalizedText
    public var phase: PhaseSelection
    /// The steps of the lab in spec order (ids, titles, points), so reports have columns even for error rows.
    public var steps: [StepColumn]
    /// One entry per roster row, sorted by student id.
    public var students: [StudentOutcome]
    public var startedAt: Date
    public var finishedAt: Date

    public init(labId: String, labTitle: LocalizedText, phase: PhaseSelection, steps: [StepColumn], students: [StudentOutcome], startedAt: Date, finishedAt: Date) {
        self.schemaVersion = Self.currentSchemaVersion
        self.labId = labId
        self.labTitle = labTitle
        self.phase = phase
        self.steps = steps
        self.students = students.sorted { ($0.studentId, $0.rosterLine) < ($1.studentId, $1.rosterLine) }
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// Share of graded students who passed each step (0–1), by step id.
    public var passRates: [String: Double] {
        let graded = students.compactMap(\.result)
        guard !graded.isEmpty else { return [:] }
        var rates: [String: Double] = [:]
        for step in steps {
            let passed = graded.filter { $0.steps.first { $0.id == step.id }?.status == .passed }.count
            rates[step.id] = Double(passed) / Double(graded.count)
        }
        return rates
    }
}

/// A step as a column of a class report.
public struct StepColumn: Codable, Sendable, Hashable {
    public var id: String
    public var phase: Phase
    public var title: LocalizedText
    public var points: Int

    public init(id: String, phase: Phase, title: LocalizedText, points: Int) {
        self.id = id
        self.phase = phase
        self.title = title
        self.points = points
    }
}
