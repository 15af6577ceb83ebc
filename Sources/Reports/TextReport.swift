import Checks
import Foundation

/// The terminal report: first the next step to do and its hint (what a student reads first), then
/// the header, one row per step, message and hint under steps that did not pass, the score and counts,
/// and which rules graded. Columns are aligned by display width (Korean takes two columns).
public struct TextReport: Sendable {
    public var language: Language
    public var style: TerminalStyle
    /// Titles wider than this many columns are cut with "…".
    public var maxTitleWidth: Int
    /// Steps marked as newly passed (watch mode: passed this round, not the one before).
    public var newlyPassed: Set<String> = []

    public init(language: Language, style: TerminalStyle = .plain, maxTitleWidth: Int = 48) {
        self.language = language
        self.style = style
        self.maxTitleWidth = max(8, maxTitleWidth)
    }

    /// The status mark in the first column: one column wide each.
    public static func mark(_ status: StepStatus) -> String {
        switch status {
        case .passed: "✓"
        case .failed: "✗"
        case .error: "!"
        case .skipped: "-"
        case .waived: "~"
        }
    }

    public func render(_ result: LabResult) -> String {
        let labels = ReportLabels(language)
        var lines = nextStepLines(result, labels: labels)
        lines.append("")

        let title = clean(result.labTitle.text(language))
        lines.append(style.apply(.bold, "\(title) (\(clean(result.labId)))"))
        var facts = [
            "\(labels.account): \(clean(result.accountId ?? labels.unknown))",
            "\(labels.region): \(clean(result.region ?? labels.unknown))",
            "\(labels.phase): \(labels.selection(result.phase))",
        ]
        if let student = result.studentId { facts.append("\(labels.student): \(clean(student))") }
        lines.append(facts.joined(separator: "   "))
        lines.append("")

        let idWidth = result.steps.map { DisplayWidth.of(clean($0.id)) }.max() ?? 0
        let titleWidth = min(maxTitleWidth, result.steps.map { DisplayWidth.of(clean(text($0.title))) }.max() ?? 0)
        let pointsWidth = result.steps.map { DisplayWidth.of(pointsText($0)) }.max() ?? 0
        let phases = Phase.allCases.filter { !result.steps(in: $0).isEmpty }

        for phase in phases {
            if phases.count > 1 {
                lines.append(style.apply(.bold, labels.phaseHeading(phase)))
            }
            for step in result.steps(in: phase) {
                let role = style.role(for: step.status)
                let id = DisplayWidth.pad(clean(step.id), to: idWidth)
                let stepTitle = DisplayWidth.pad(DisplayWidth.truncate(clean(text(step.title)), to: titleWidth), to: titleWidth)
                let points = DisplayWidth.padLeft(pointsText(step), to: pointsWidth)
                let new = newlyPassed.contains(step.id) && step.status == .passed ? "  " + style.apply(.bold, labels.newlyPassed) : ""
                let tags = labels.tags(step).map { "  [\(clean($0))]" }.joined()
                lines.append("  \(style.apply(role, Self.mark(step.status))) \(id)  \(stepTitle)  \(style.apply(role, points))\(style.apply(.bold, tags))\(new)")
                lines.append(contentsOf: details(step, labels: labels))
            }
        }

        lines.append("")
        lines.append(style.apply(.bold, labels.scoreLine(result)))
        lines.append(labels.countsLine(result))
        if let rules = labels.rulesLine(result) { lines.append(style.apply(.dim, clean(rules))) }
        if let policy = labels.policyLine(result) { lines.append(style.apply(.dim, clean(policy))) }
        if !result.warnings.isEmpty {
            lines.append("")
            for warning in result.warnings {
                lines.append(style.apply(.error, "! ") + clean(text(warning.message)))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "Next step: <id> — <title>" and its hint, or that every step passed.
    public func nextStepLines(_ result: LabResult) -> [String] {
        nextStepLines(result, labels: ReportLabels(language))
    }

    private func nextStepLines(_ result: LabResult, labels: ReportLabels) -> [String] {
        guard let step = result.nextStep else { return [style.apply(.passed, labels.allPassed)] }
        let role = style.role(for: step.status)
        var lines = [style.apply(.bold, "\(labels.nextStep): ") + style.apply(role, "\(clean(step.id)) — \(clean(text(step.title)))")]
        if let hint = step.hint {
            let hintLines = clean(text(hint)).split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in hintLines.enumerated() {
                let prefix = index == 0 ? "\(labels.hint): " : String(repeating: " ", count: DisplayWidth.of(labels.hint) + 2)
                lines.append("  " + prefix + line)
            }
        } else {
            lines.append("  " + clean(text(step.message)))
        }
        return lines
    }

    /// Indented lines under a row: message and hint for steps that did not pass,
    /// the earlier pass for steps kept by the ledger.
    private func details(_ step: StepResult, labels: ReportLabels) -> [String] {
        let indent = "      "
        var out: [String] = labels.policyLines(step).map { indent + style.apply(.bold, clean($0)) }
        switch step.status {
        case .passed:
            if step.passedEarlier, let evidence = step.evidence {
                out.append(indent + style.apply(.dim, labels.passedEarlier(at: ReportDates.iso8601(evidence.firstPassedAt))))
            }
            if step.source == .trail, let line = labels.evidence(step) {
                out.append(indent + style.apply(.dim, clean(line)))
            }
            if let content = step.content {
                let line = indent + clean(labels.content(content))
                out.append(style.apply(content.verified ? .dim : .error, line))
            }
        case .failed, .error, .skipped, .waived:
            var message = clean(text(step.message))
            if step.status == .error, let type = step.errorType { message = "[\(clean(type))] " + message }
            for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
                out.append(indent + line)
            }
            if let hint = step.hint {
                let hintLines = clean(text(hint)).split(separator: "\n", omittingEmptySubsequences: false)
                for (index, line) in hintLines.enumerated() {
                    let prefix = index == 0 ? "\(labels.hint): " : String(repeating: " ", count: DisplayWidth.of(labels.hint) + 2)
                    out.append(indent + style.apply(.dim, prefix + line))
                }
            }
        }
        return out
    }

    private func pointsText(_ step: StepResult) -> String { "\(step.earned)/\(step.points)" }
    private func text(_ localized: LocalizedText) -> String { localized.text(language) }
    private func clean(_ text: String) -> String { TextSanitizer.terminal(text) }
}

extension LabResult {
    /// The step a student should do next: the first (in spec order) that failed or could not be
    /// evaluated, else the first skipped one; nil when every step passed.
    public var nextStep: StepResult? {
        steps.first { $0.status == .failed || $0.status == .error } ?? steps.first { $0.status == .skipped }
    }
}
