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
///                       "steps": [ { "id", "passed", "failed", "error", "skipped", "waived", "late", "partial", "missing",
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
        let stream = ReportStream.memory()
        try write(classResult, statistics: ClassStatistics(classResult), to: stream)
        return stream.data
    }

    /// Writes the document student by student, each encoded on its own by the same encoder, so only
    /// one student's JSON is in memory at a time. The bytes are those of encoding the whole
    /// `ClassDocument` at once (the tests hold the two equal): the top-level keys are sorted and
    /// `students` sorts last, so the document is its head (every other key, and `students` empty)
    /// with the students spliced into that last, empty array at the encoder's indentation.
    static func write(_ classResult: ClassResult, statistics: ClassStatistics, to stream: ReportStream) throws {
        let encoder = ReportJSONCoding.encoder()
        let head = try encoder.encode(ClassDocument(head: classResult, statistics: statistics))
        guard !classResult.students.isEmpty else {
            stream.write(head)
            stream.write("\n")
            return
        }
        let key = Data("\n  \"students\" : [".utf8)
        guard let range = head.range(of: key, options: .backwards) else {
            throw EncodingError.invalidValue(
                classResult.labId, EncodingError.Context(codingPath: [], debugDescription: "the encoder did not write \"students\" last"))
        }
        stream.write(head[..<range.upperBound])
        let newline = UInt8(ascii: "\n")
        let indent = Data("    ".utf8)
        for (index, outcome) in classResult.students.enumerated() {
            stream.write(index == 0 ? "\n" : ",\n")
            var indented = Data()
            let student = try encoder.encode(ClassDocument.Student(outcome))
            indented.reserveCapacity(student.count + student.count / 8)
            indented.append(indent)
            // JSON text holds raw line breaks only between tokens (strings escape them), so this
            // indents lines, never string content.
            for byte in student {
                indented.append(byte)
                if byte == newline { indented.append(indent) }
            }
            stream.write(indented)
        }
        stream.write("\n  ]\n}\n")
    }

    /// `encode(_:)` as text; should encoding ever fail, a JSON object naming the error.
    public static func string(_ classResult: ClassResult) -> String {
        ReportJSONCoding.text(.classReport, schemaVersion: schemaVersion) { try encode(classResult) }
    }

    /// Reads a document written by `encode(_:)`. `source` (a file name) is put into errors.
    public static func decode(_ data: Data, source: String? = nil) throws -> ClassResult {
        try VersionedJSONDocument.decode(ClassDocument.self, .classReport, from: data, source: source).classResult(source: source)
    }

    /// Reads `class.json` from a file.
    public static func read(from url: URL) throws -> ClassResult {
        try VersionedJSONDocument.read(ClassDocument.self, .classReport, from: url).classResult(source: url.path)
    }
}

/// The wire shape of class.json (whole, as read back; `ClassJSON.write` writes it in pieces).
struct ClassDocument: Codable {
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
            var waived: Int?
            var late: Int?
            var partial: Int?
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
                    waived: $0.waived, late: $0.late, partial: $0.partial,
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
        /// The student's summary.json document, as a value (encoded in place by the same encoder).
        var summary: SummaryDocument?

        enum CodingKeys: String, CodingKey {
            case studentId, name, accountId, rosterLine, status, error, summary
        }

        init(_ outcome: StudentOutcome) {
            studentId = outcome.studentId
            name = outcome.name
            accountId = outcome.accountId
            rosterLine = outcome.rosterLine
            status = outcome.result == nil ? "error" : "graded"
            error = outcome.error
            summary = outcome.result.map(SummaryDocument.init)
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            studentId = try c.decode(String.self, forKey: .studentId)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            accountId = try c.decodeIfPresent(String.self, forKey: .accountId)
            rosterLine = try c.decode(Int.self, forKey: .rosterLine)
            status = try c.decodeIfPresent(String.self, forKey: .status) ?? ""
            error = try c.decodeIfPresent(StudentError.self, forKey: .error)
            summary = try c.decodeIfPresent(SummaryDocument.self, forKey: .summary)
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
                guard summary.schemaVersion == SummaryJSON.schemaVersion else {
                    throw ReportJSONError(
                        .summary, .unsupportedSchemaVersion(found: summary.schemaVersion, supported: SummaryJSON.schemaVersion),
                        source: "\(source ?? "class report") students[\(index)] (\(studentId)).summary")
                }
                result = summary.labResult
            }
            if result == nil, error == nil {
                throw ReportJSONError(
                    .classReport, .invalid(detail: "students[\(index)] (\(studentId)) has neither a summary nor an error"), source: source)
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

    /// The whole document, students included.
    init(_ classResult: ClassResult) {
        self.init(head: classResult, statistics: ClassStatistics(classResult))
        students = classResult.students.map(Student.init)
    }

    /// Every key but the students (left empty).
    init(head classResult: ClassResult, statistics: ClassStatistics) {
        schemaVersion = ClassJSON.schemaVersion
        kind = ClassJSON.kind
        lab = Lab(id: classResult.labId, title: classResult.labTitle)
        phase = classResult.phase
        startedAt = classResult.startedAt
        finishedAt = classResult.finishedAt
        steps = classResult.steps
        self.statistics = Statistics(statistics)
        students = []
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
