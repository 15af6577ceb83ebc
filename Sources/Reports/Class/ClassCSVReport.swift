import Checks
import Foundation

/// `class.csv`: one row per roster row, in `ClassResult.students` order (student id, then roster line).
///
/// Columns: `student_id,name,account_id,status` (`graded` or `error`), one column per step id
/// (spec order) holding `passed`/`failed`/`error`/`skipped`/`waived`, followed by what the grading
/// policy or partial credit did (`passed late 1d -10%`, `passed late not-counted`, `failed partial 3/4`,
/// `waived excluded`; empty for an error row, or for a step the student's result does not list), then `earned,total,percentage,error`. For an error row
/// earned/total/percentage are empty (no grade is not a zero) and `error` is "Type: message".
///
/// Format: RFC 4180: UTF-8 without a byte order mark (unless `byteOrderMark`), CRLF after every
/// record including the last, fields quoted only when they hold a comma, a double quote, CR or LF
/// (quotes doubled). Text cells that a spreadsheet would run as a formula (first character `=`,
/// `+`, `-`, `@`, tab or CR) get a leading `'`. Control characters other than tab, LF and CR are
/// made visible (`^[`). Numbers use "." and no grouping; percentage has one decimal.
public struct ClassCSVReport: Sendable {
    public static let lineEnding = "\r\n"

    /// Write U+FEFF first, so that Excel opens the file as UTF-8 (Korean names); off by default,
    /// since most CSV readers then see it as part of the first header.
    public var byteOrderMark: Bool

    public init(byteOrderMark: Bool = false) {
        self.byteOrderMark = byteOrderMark
    }

    /// The header row's column names.
    public func header(_ classResult: ClassResult) -> [String] {
        ["student_id", "name", "account_id", "status"] + classResult.steps.map(\.id) + ["earned", "total", "percentage", "error", "evidence", "warnings"]
    }

    /// The rows' raw values (before formula guarding and quoting), header excluded.
    public func rows(_ classResult: ClassResult) -> [[String]] {
        classResult.students.map { row($0, steps: classResult.steps) }
    }

    /// One student's raw values.
    func row(_ student: StudentOutcome, steps: [StepColumn]) -> [String] {
        var row = [student.studentId, student.name ?? "", student.accountId ?? student.result?.accountId ?? ""]
        if let result = student.result {
            row.append("graded")
            row += steps.map { column in student.step(column.id).map(Self.cell) ?? "" }
            row += [String(result.earnedPoints), String(result.totalPoints), ReportNumbers.oneDecimal(result.percentage)]
        } else {
            row.append("error")
            row += steps.map { _ in "" }
            row += ["", "", ""]
        }
        row.append(student.error.map(\.description) ?? "")
        // Where each passed step's evidence came from ("repo-nginx=trail image-nginx=live …"), and the result's warnings.
        row.append((student.result?.steps ?? []).compactMap { step in step.source.map { "\(step.id)=\($0.rawValue)" } }.joined(separator: " "))
        row.append((student.result?.warnings ?? []).map(\.code.rawValue).joined(separator: " "))
        return row
    }

    /// A step's cell: its status, then what the policy or partial credit did ("passed late 2d −20%",
    /// "failed partial 3/4", "waived", "waived excluded").
    static func cell(_ step: StepResult) -> String {
        var words = [step.status.rawValue]
        if let late = step.policy?.late { words.append(late.withinLateWindow ? "late \(late.daysLate)d -\(late.penaltyPercent)%" : "late not-counted") }
        if step.isPartial { words.append("partial \(step.metConditions.count)/\(step.conditions?.count ?? 0)") }
        if step.status == .waived, step.policy?.waiver?.grant == .exclude { words.append("excluded") }
        return words.joined(separator: " ")
    }

    public func render(_ classResult: ClassResult) -> String { ReportStream.memory { write(classResult, to: $0) }.text }

    public func data(_ classResult: ClassResult) -> Data { ReportStream.memory { write(classResult, to: $0) }.data }

    /// Writes the header, then a record per student as it goes.
    func write(_ classResult: ClassResult, to out: ReportStream) {
        if byteOrderMark { out.write("\u{FEFF}") }
        out.write(Self.record(header(classResult)))
        for student in classResult.students {
            out.write(Self.record(row(student, steps: classResult.steps)))
        }
    }

    /// One record: its fields guarded, quoted and joined, and the line ending.
    static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + lineEnding
    }

    /// One field: formula-guarded, control characters made visible, quoted when needed.
    static func field(_ raw: String) -> String {
        var text = TextSanitizer.xml(raw)
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
