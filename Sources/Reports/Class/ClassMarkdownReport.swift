import Checks
import Foundation

/// `class.md`: heading, class average and counts, a table of students × (score, per-step marks),
/// the pass rate of each step, the score distribution, and the error rows with their reasons.
/// Marks are `MarkdownReport.emoji(_:)`; "—" for an error row or a step a result does not list.
public struct ClassMarkdownReport: Sendable {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    /// The longest distribution bar, in blocks: a larger bucket's bar is scaled down to it.
    public static let maximumBarLength = 50

    public func render(_ classResult: ClassResult) -> String { ReportStream.memory { write(classResult, statistics: ClassStatistics(classResult), to: $0) }.text }

    public func data(_ classResult: ClassResult) -> Data { ReportStream.memory { write(classResult, statistics: ClassStatistics(classResult), to: $0) }.data }

    /// Writes the report a line at a time.
    func write(_ classResult: ClassResult, statistics: ClassStatistics, to out: ReportStream) {
        let labels = ClassReportLabels(language)
        var lines = Lines(out)
        lines.append("# \(Markdown.inline(classResult.labTitle.text(language))) — \(labels.classReport) (`\(Markdown.code(classResult.labId))`)")
        lines.append("")
        let average = statistics.averagePercentage.map { "\(ReportNumbers.oneDecimal($0))%" } ?? labels.noneGraded
        lines.append("**\(labels.classAverage): \(average)**")
        lines.append("")
        lines.append([
            "\(labels.students): \(statistics.students)",
            "\(labels.graded): \(statistics.graded)",
            "\(labels.errors): \(statistics.errors)",
            "\(labels.fullMarks): \(statistics.fullMarks)",
            "\(labels.phase): \(labels.base.selection(classResult.phase))",
        ].joined(separator: " · "))
        lines.append("")
        lines.append("\(labels.started): \(ReportDates.iso8601(classResult.startedAt)) · \(labels.finished): \(ReportDates.iso8601(classResult.finishedAt))")
        lines.append("")

        lines.append("## \(labels.results)")
        lines.append("")
        lines.append(
            "\(labels.legend): " + StepStatus.allCases.map { "\(MarkdownReport.emoji($0)) \(labels.status($0))" }.joined(separator: " · "))
        lines.append("")
        let stepHeaders = classResult.steps.map { "`\(Markdown.code($0.id))`" }
        lines.append("| \(labels.studentId) | \(labels.name) | \(labels.score) | % | " + stepHeaders.joined(separator: " | ") + " |")
        lines.append("| --- | --- | ---: | ---: | " + classResult.steps.map { _ in ":---:" }.joined(separator: " | ") + " |")
        for student in classResult.students {
            var cells = ["`\(Markdown.code(student.studentId))`", Markdown.cell(student.name ?? "")]
            if let result = student.result {
                cells.append("\(result.earnedPoints)/\(result.totalPoints)")
                cells.append(ReportNumbers.oneDecimal(result.percentage))
                cells += classResult.steps.map { column in
                    guard let step = student.step(column.id) else { return "—" }
                    let tags = labels.base.tags(step).filter { _ in step.status != .waived }
                    return MarkdownReport.emoji(step.status) + (tags.isEmpty ? "" : " " + Markdown.cell(tags.joined(separator: ", ")))
                }
            } else {
                cells.append("⚠️ \(labels.notGraded)")
                cells.append("—")
                cells += classResult.steps.map { _ in "—" }
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")

        lines.append("## \(labels.passRates)")
        lines.append("")
        lines.append("| \(labels.step) | \(labels.points) | \(labels.passRate) | " + StepStatus.allCases.map { MarkdownReport.emoji($0) }.joined(separator: " | ") + " |")
        lines.append("| --- | ---: | ---: | " + StepStatus.allCases.map { _ in "---:" }.joined(separator: " | ") + " |")
        for column in classResult.steps {
            let stats = statistics.step(column.id)
            let rate = stats.map { labels.fraction($0.passed, of: $0.graded, percentage: $0.percentage) } ?? "—"
            let counts = StepStatus.allCases.map { status in stats.map { String($0.count(status)) } ?? "0" }
            lines.append(
                "| `\(Markdown.code(column.id))` \(Markdown.cell(column.title.text(language))) | \(column.points) | \(rate) | "
                    + counts.joined(separator: " | ") + " |")
        }
        lines.append("")

        lines.append("## \(labels.distribution)")
        lines.append("")
        lines.append("| \(labels.range) | \(labels.count) | |")
        lines.append("| --- | ---: | --- |")
        let largest = statistics.distribution.map(\.count).max() ?? 0
        for bucket in statistics.distribution {
            lines.append("| \(bucket.label) | \(bucket.count) | \(String(repeating: "█", count: Self.barLength(bucket.count, largest: largest))) |")
        }

        // Late, partial and waived steps, each with what decided it.
        let marked = classResult.students.filter { ($0.result?.steps ?? []).contains { $0.isLate || $0.isPartial || $0.status == .waived } }
        if !marked.isEmpty {
            lines.append("")
            lines.append("## \(labels.policy)")
            lines.append("")
            for student in marked {
                let notes = (student.result?.steps ?? []).filter { $0.isLate || $0.isPartial || $0.status == .waived }.map { step in
                    let tags = labels.base.tags(step).joined(separator: ", ")
                    let why = labels.base.policyLines(step).joined(separator: "; ")
                    return "`\(Markdown.code(step.id))` \(MarkdownReport.emoji(step.status)) **\(Markdown.cell(tags))** \(step.earned)/\(step.points)"
                        + (why.isEmpty ? "" : " — " + Markdown.cell(why))
                }
                lines.append("- `\(Markdown.code(student.studentId))`: " + notes.joined(separator: "; "))
            }
        }

        // History denied or unreachable, recent work maybe not in it yet: each student's warnings, once.
        let warned = classResult.students.filter { !($0.result?.warnings ?? []).isEmpty }
        if !warned.isEmpty {
            lines.append("")
            lines.append("## \(labels.base.warnings)")
            lines.append("")
            for student in warned {
                let warnings = (student.result?.warnings ?? []).map { "`\($0.code.rawValue)` \(Markdown.cell($0.message.text(language)))" }
                lines.append("- `\(Markdown.code(student.studentId))`: " + warnings.joined(separator: "; "))
            }
        }

        if statistics.errors > 0 {
            lines.append("")
            lines.append("## \(labels.errorRows)")
            lines.append("")
            for student in classResult.students where student.result == nil {
                let name = student.name.map { " \(Markdown.inline(TextSanitizer.singleLine($0)))" } ?? ""
                let reason = student.error.map { "`\(Markdown.code($0.type))` \(Markdown.cell($0.message))" } ?? labels.notGraded
                lines.append("- `\(Markdown.code(student.studentId))`\(name) (\(labels.rosterLine) \(student.rosterLine)): \(reason)")
            }
        }
        lines.end()
    }

    /// Blocks for a bucket of `count`: one per student up to `maximumBarLength`, scaled beyond
    /// (at least one for a bucket that is not empty).
    static func barLength(_ count: Int, largest: Int) -> Int {
        guard largest > maximumBarLength else { return count }
        return count == 0 ? 0 : max(1, count * maximumBarLength / largest)
    }

    /// Lines joined by "\n" (and one at the end) as they are appended.
    private struct Lines {
        let out: ReportStream
        var first = true

        init(_ out: ReportStream) { self.out = out }

        mutating func append(_ line: String) {
            out.write(first ? line : "\n" + line)
            first = false
        }

        func end() { out.write("\n") }
    }
}
