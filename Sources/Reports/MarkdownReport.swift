import Checks
import Foundation

/// Markdown for a pull request or a GitHub Actions job summary: heading, score line, a table
/// (status emoji, step, points, message) and the hints for what did not pass.
public struct MarkdownReport: Sendable {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    public static func emoji(_ status: StepStatus) -> String {
        switch status {
        case .passed: "✅"
        case .failed: "❌"
        case .error: "⚠️"
        case .skipped: "⏭️"
        case .waived: "🔖"
        }
    }

    public func render(_ result: LabResult) -> String {
        let labels = ReportLabels(language)
        var lines: [String] = []
        let overall = result.allPassed ? "✅" : (result.hasErrors ? "⚠️" : "❌")
        lines.append("## \(overall) \(inline(result.labTitle.text(language))) (`\(code(result.labId))`)")
        lines.append("")
        lines.append("**\(inline(labels.scoreLine(result)))** · \(labels.countsLine(result))")
        lines.append("")
        var facts = [
            "\(labels.account): \(inline(result.accountId ?? labels.unknown))",
            "\(labels.region): \(inline(result.region ?? labels.unknown))",
            "\(labels.phase): \(labels.selection(result.phase))",
        ]
        if let student = result.studentId { facts.append("\(labels.student): \(inline(student))") }
        lines.append(facts.joined(separator: " · "))
        if let rules = labels.rulesLine(result) { lines.append(""); lines.append("_\(inline(rules))_") }
        if let policy = labels.policyLine(result) { lines.append(""); lines.append("_\(inline(policy))_") }
        lines.append("")
        for warning in result.warnings {
            lines.append("> ⚠️ \(inline(warning.message.text(language)))")
            lines.append("")
        }
        lines.append("| | \(labels.step) | \(labels.points) | \(labels.message) | \(labels.evidence) |")
        lines.append("| --- | --- | ---: | --- | --- |")
        for step in result.steps {
            var message = cell(step.message.text(language))
            if step.status == .error, let type = step.errorType { message = "`\(code(type))` " + message }
            if step.passedEarlier, let evidence = step.evidence {
                message += (message.isEmpty ? "" : " ") + "_\(labels.passedEarlier(at: ReportDates.iso8601(evidence.firstPassedAt)))_"
            }
            if let content = step.content {
                message += (message.isEmpty ? "" : " ") + (content.verified ? "_" : "⚠️ **") + cell(labels.content(content)) + (content.verified ? "_" : "**")
            }
            for line in labels.policyLines(step) { message += (message.isEmpty ? "" : "<br>") + "**\(cell(line))**" }
            let title = cell(step.title.text(language))
            let tags = labels.tags(step).map { " **\(cell($0))**" }.joined()
            var evidence = step.source.map { "`\($0.rawValue)`" } ?? ""
            if let event = step.evidence?.event, step.source == .trail { evidence += " " + cell(event.summary) }
            lines.append("| \(Self.emoji(step.status)) | `\(code(step.id))` \(title) | \(step.earned)/\(step.points)\(tags) | \(message) | \(evidence) |")
        }
        let hinted = result.steps.filter { $0.status != .passed && $0.status != .waived && $0.hint != nil }
        if !hinted.isEmpty {
            lines.append("")
            lines.append("### \(labels.hints)")
            lines.append("")
            for step in hinted {
                let hint = step.hint?.text(language) ?? ""
                lines.append("- \(Self.emoji(step.status)) **\(inline(step.title.text(language)))** (`\(code(step.id))`): \(cell(hint))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func cell(_ text: String) -> String { Markdown.cell(text) }
    private func inline(_ text: String) -> String { Markdown.inline(text) }
    private func code(_ text: String) -> String { Markdown.code(text) }
}
