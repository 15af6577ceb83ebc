import Checks
import Foundation

/// `class.json`: a schema-versioned (`ClassResult.currentSchemaVersion`), pretty-printed, key-sorted
/// document of a whole `ClassResult`, and its decoder (for `labcheck merge`).
///
/// Shape (every key always present; optional values written as `null`):
///
///     { "schemaVersion": 1, "kind": "labcheck.class",
///       "lab": { "id", "title": {ko, en} }, "phase", "startedAt", "finishedAt",
///       "steps": [ { "id", "phase", "title", "points" } ],                     // spec order
///       "statistics": { "students", "graded", "errors", "fullMarks", "averagePercentage",
///                       "steps": [ { "id", "passed", "failed", "error", "skipped", "missing",
///                                    "graded", "passRate" } ],                   // passRate 0–1, 4 decimals
///                       "distribution": [ { "from", "to", "count" } ] },         // from ≤ % < to; last bucket holds 100
///       "students": [ { "studentId", "name", "accountId", "rosterLine", "status": "graded"|"error",
///                       "error": { "type", "message" } | null,
///                       "summary": <the student's summary.json, exactly as SummaryJSON writes it> | null } ] }
///
/// Students are in `ClassResult.students` order (by id, then roster line). Dates are ISO 8601 UTC
/// to the millisecond. `statistics` is derived and not read back: decoding recomputes it, so
/// `encode(merged(decode(a), decode(b)))` equals the `encode` of one unsharded run (given the same
/// `startedAt`/`finishedAt`, which a merge takes as min/max). Evidence values naming a secret are
/// redacted as in summary.json.
public enum ClassJSON {
    public static let schemaVersion = ClassResult.currentSchemaVersion
    /// The document's `kind`, telling class.json from summary.json.
    public static let kind = "labcheck.class"

    public static func encode(_ classResult: ClassResult) throws -> Data {
        try ReportJSONCoding.document(try ClassDocument(classResult))
    }

    /// `encode(_:)` as text; should encoding ever fail, a JSON object naming the error.
    public static func string(_ classResult: ClassResult) -> String {
        do {
            return String(decoding: try encode(classResult), as: UTF8.self)
        } catch {
            let detail = "\(error)".replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "{ \"error\" : \"could not encode the class report: \(detail)\", \"schemaVersion\" : \(schemaVersion) }\n"
        }
    }

    /// Reads a document written by `encode(_:)`. `source` (a file name) is put into errors.
    public static func decode(_ data: Data, source: String? = nil) throws -> ClassResult {
        let decoder = ReportJSONCoding.decoder()
        let probe: ClassVersionProbe
        do {
            probe = try decoder.decode(ClassVersionProbe.self, from: data)
        } catch {
            throw ClassJSONError.notAClassReport(source: source, detail: SummaryJSON.describe(error))
        }
        guard let version = probe.schemaVersion else { throw ClassJSONError.missingSchemaVersion(source: source) }
        if let kind = probe.kind, kind != Self.kind {
            throw ClassJSONError.notAClassReport(source: source, detail: "its kind is \"\(kind)\", not \"\(Self.kind)\"")
        }
        if probe.kind == nil, probe.students == nil {
            throw ClassJSONError.notAClassReport(
                source: source, detail: "it has no \"students\" (a summary.json of one student?)")
        }
        guard version == schemaVersion else {
            throw ClassJSONError.unsupportedSchemaVersion(found: version, supported: schemaVersion, source: source)
        }
        let document: ClassDocument
        do {
            document = try decoder.decode(ClassDocument.self, from: data)
        } catch {
            throw ClassJSONError.invalid(source: source, detail: SummaryJSON.describe(error))
        }
        return try document.classResult(source: source)
    }

    /// Reads `class.json` from a file.
    public static func read(from url: URL) throws -> ClassResult {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ClassJSONError.unreadable(path: url.path, detail: error.localizedDescription)
        }
        return try decode(data, source: url.path)
    }
}

/// Why a class.json could not be read.
public enum ClassJSONError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case unreadable(path: String, detail: String)
    case notAClassReport(source: String?, detail: String)
    case missingSchemaVersion(source: String?)
    case unsupportedSchemaVersion(found: Int, supported: Int, source: String?)
    case invalid(source: String?, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let detail):
            return "cannot read class report \(path): \(detail)"
        case .notAClassReport(let source, let detail):
            return "\(Self.name(source)) is not a LabCheck class.json: \(detail)"
        case .missingSchemaVersion(let source):
            return "\(Self.name(source)) has no \"schemaVersion\": it was not written by labcheck"
        case .unsupportedSchemaVersion(let found, let supported, let source):
            let advice = found > supported ? "it was written by a newer labcheck; upgrade labcheck" : "regenerate it with this labcheck"
            return "\(Self.name(source)) has schemaVersion \(found), but this labcheck reads schemaVersion \(supported): \(advice)"
        case .invalid(let source, let detail):
            return "\(Self.name(source)) is not a valid class report (schemaVersion \(ClassResult.currentSchemaVersion)): \(detail)"
        }
    }

    public var errorDescription: String? { description }

    private static func name(_ source: String?) -> String {
        source.map { "class report \($0)" } ?? "class report"
    }
}

private struct ClassVersionProbe: Decodable {
    var schemaVersion: Int?
    var kind: String?
    var students: [JSONValue]?
}

/// The wire shape of class.json.
private struct ClassDocument: Codable {
    struct Lab: Codable {
        var id: String
        var title: LocalizedText
    }

    struct Statistics: Codable {
        struct Step: Codable {
            var id: String
            var passed: Int
            var failed: Int
            var error: Int
            var skipped: Int
            var missing: Int
            var graded: Int
            var passRate: Double
        }

        struct Bucket: Codable {
            var from: Int
            var to: Int
            var count: Int
        }

        var students: Int
        var graded: Int
        var errors: Int
        var fullMarks: Int
        var averagePercentage: Double?
        var steps: [Step]
        var distribution: [Bucket]

        enum CodingKeys: String, CodingKey {
            case students, graded, errors, fullMarks, averagePercentage, steps, distribution
        }

        init(_ statistics: ClassStatistics) {
            students = statistics.students
            graded = statistics.graded
            errors = statistics.errors
            fullMarks = statistics.fullMarks
            averagePercentage = statistics.averagePercentage
            steps = statistics.steps.map {
                Step(
                    id: $0.id, passed: $0.passed, failed: $0.failed, error: $0.error, skipped: $0.skipped,
                    missing: $0.missing, graded: $0.graded, passRate: ($0.passRate * 10_000).rounded() / 10_000)
            }
            distribution = statistics.distribution.map { Bucket(from: $0.lower, to: $0.upper, count: $0.count) }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(students, forKey: .students)
            try c.encode(graded, forKey: .graded)
            try c.encode(errors, forKey: .errors)
            try c.encode(fullMarks, forKey: .fullMarks)
            try c.encode(averagePercentage, forKey: .averagePercentage)
            try c.encode(steps, forKey: .steps)
            try c.encode(distribution, forKey: .distribution)
        }
    }

    struct Student: Codable {
        var studentId: String
        var name: String?
        var accountId: String?
        var rosterLine: Int
        var status: String
        var error: StudentError?
        var summary: JSONValue?

        enum CodingKeys: String, CodingKey {
            case studentId, name, accountId, rosterLine, status, error, summary
        }

        init(_ outcome: StudentOutcome) throws {
            studentId = outcome.studentId
            name = outcome.name
            accountId = outcome.accountId
            rosterLine = outcome.rosterLine
            status = outcome.result == nil ? "error" : "graded"
            error = outcome.error
            summary = try outcome.result.map { try JSONDecoder().decode(JSONValue.self, from: SummaryJSON.encode($0)) }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            studentId = try c.decode(String.self, forKey: .studentId)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            accountId = try c.decodeIfPresent(String.self, forKey: .accountId)
            rosterLine = try c.decode(Int.self, forKey: .rosterLine)
            status = try c.decodeIfPresent(String.self, forKey: .status) ?? ""
            error = try c.decodeIfPresent(StudentError.self, forKey: .error)
            summary = try c.decodeIfPresent(JSONValue.self, forKey: .summary)
            if summary == .null { summary = nil }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(studentId, forKey: .studentId)
            try c.encode(name, forKey: .name)
            try c.encode(accountId, forKey: .accountId)
            try c.encode(rosterLine, forKey: .rosterLine)
            try c.encode(status, forKey: .status)
            try c.encode(error, forKey: .error)
            try c.encode(summary, forKey: .summary)
        }

        func outcome(index: Int, source: String?) throws -> StudentOutcome {
            var result: LabResult?
            if let summary {
                let where_ = "\(source ?? "class report") students[\(index)] (\(studentId)).summary"
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                result = try SummaryJSON.decode(try encoder.encode(summary), source: where_)
            }
            if result == nil, error == nil {
                throw ClassJSONError.invalid(
                    source: source, detail: "students[\(index)] (\(studentId)) has neither a summary nor an error")
            }
            return StudentOutcome(
                studentId: studentId, name: name, accountId: accountId, rosterLine: rosterLine, result: result, error: error)
        }
    }

    var schemaVersion: Int
    var kind: String
    var lab: Lab
    var phase: PhaseSelection
    var startedAt: Date
    var finishedAt: Date
    var steps: [StepColumn]
    var statistics: Statistics?
    var students: [Student]

    enum CodingKeys: String, CodingKey {
        case schemaVersion, kind, lab, phase, startedAt, finishedAt, steps, statistics, students
    }

    init(_ classResult: ClassResult) throws {
        schemaVersion = ClassJSON.schemaVersion
        kind = ClassJSON.kind
        lab = Lab(id: classResult.labId, title: classResult.labTitle)
        phase = classResult.phase
        startedAt = classResult.startedAt
        finishedAt = classResult.finishedAt
        steps = classResult.steps
        statistics = Statistics(ClassStatistics(classResult))
        students = try classResult.students.map(Student.init)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? ClassJSON.kind
        lab = try c.decode(Lab.self, forKey: .lab)
        phase = try c.decode(PhaseSelection.self, forKey: .phase)
        startedAt = try c.decode(Date.self, forKey: .startedAt)
        finishedAt = try c.decode(Date.self, forKey: .finishedAt)
        steps = try c.decode([StepColumn].self, forKey: .steps)
        statistics = nil  // derived; recomputed from the students
        students = try c.decode([Student].self, forKey: .students)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(kind, forKey: .kind)
        try c.encode(lab, forKey: .lab)
        try c.encode(phase, forKey: .phase)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(steps, forKey: .steps)
        try c.encode(statistics, forKey: .statistics)
        try c.encode(students, forKey: .students)
    }

    func classResult(source: String?) throws -> ClassResult {
        let outcomes = try students.enumerated().map { try $0.element.outcome(index: $0.offset, source: source) }
        return ClassResult(
            labId: lab.id, labTitle: lab.title, phase: phase, steps: steps, students: outcomes,
            startedAt: startedAt, finishedAt: finishedAt)
    }
}
