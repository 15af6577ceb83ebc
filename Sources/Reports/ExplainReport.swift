import Checks
import Foundation

/// `labcheck explain`: everything that decided one step of one graded result, from the result alone
/// (summary.json, or a student's summary inside class.json): the check made, its conditions, the
/// verdict, the evidence with its source and time, the grading policy's rules. No API call.
public struct ExplainReport: Sendable {
    public var language: Language

    public init(language: Language) {
        self.language = language
    }

    public func render(_ result: LabResult, step: StepResult) -> String {
        let labels = ReportLabels(language)
        func pick(_ ko: String, _ en: String) -> String { language == .ko ? ko : en }
        func text(_ localized: LocalizedText) -> String { TextSanitizer.terminal(localized.text(language)) }
        func clean(_ value: String) -> String { TextSanitizer.terminal(value) }
        var lines: [String] = []
        lines.append("\(pick("단계", "Step")) \(clean(step.id)) — \(text(step.title))")
        var facts: [String] = []
        if let student = result.studentId { facts.append("\(labels.student) \(clean(student))") }
        facts.append("\(labels.account) \(clean(result.accountId ?? labels.unknown))")
        facts.append(pick("채점 시각", "graded at") + " " + ReportDates.iso8601(result.finishedAt))
        lines.append(facts.joined(separator: " · "))
        if let rules = labels.rulesLine(result) { lines.append(clean(rules)) }
        lines.append("")
        let tags = labels.tags(step)
        lines.append("\(pick("결과", "Status")): \(labels.status(step.status))" + (tags.isEmpty ? "" : " [\(tags.joined(separator: ", "))]")
            + " · \(labels.points) \(step.earned)/\(step.points)")
        if let check = step.check { lines.append("\(pick("확인한 것", "Checked")): \(clean(check))") }
        if let conditions = step.conditions {
            let credit = step.creditPerCondition ? pick("조건별 부분 점수", "credit per condition") : pick("모두 충족해야 점수", "all or nothing")
            lines.append("\(pick("조건", "Conditions")) (\(step.metConditions.count)/\(conditions.count), \(credit)):")
            for condition in conditions {
                lines.append("  \(condition.met ? "✓" : "✗") \(clean(condition.name))" + (condition.met ? "" : "  (" + pick("빠짐", "missing") + ")"))
            }
        }
        var message = text(step.message)
        if let type = step.errorType { message = "[\(clean(type))] " + message }
        lines.append("\(labels.message): \(message)")
        if let evidence = step.evidence {
            let source = step.source.map { labels.source($0) } ?? labels.source(evidence.source)
            lines.append("\(labels.evidence): \(source)")
            lines.append("  " + pick("처음 통과 확인", "first seen passing") + ": " + ReportDates.iso8601(evidence.firstPassedAt))
            if let event = evidence.event { lines.append("  CloudTrail: " + clean(event.summary)) }
            for (key, value) in Redaction.observed(evidence.observed).sorted(by: { $0.key < $1.key }) {
                lines.append("  \(clean(key)) = \(clean(value))")
            }
        } else {
            lines.append("\(labels.evidence): " + pick("없음 (통과하지 않음)", "none (the step did not pass)"))
        }
        if let content = step.content { lines.append(clean(labels.content(content))) }
        lines.append("")
        if let policy = labels.policyLine(result) {
            lines.append(clean(policy))
        } else {
            lines.append(pick("채점 정책 없음: 스펙의 배점대로 채점", "No grading policy: graded by the spec's points"))
        }
        if let policy = step.policy {
            if let workTime = policy.workTime {
                lines.append(pick("작업 시각", "Work done at") + ": " + ReportDates.iso8601(workTime)
                             + (policy.workTimeSource.map { " (\(labels.source($0)))" } ?? ""))
            }
            lines.append(pick("적용한 규칙", "Rules applied") + ":")
            for (index, rule) in policy.rules.enumerated() { lines.append("  \(index + 1). \(text(rule))") }
        }
        if step.status != .passed, let hint = step.hint { lines.append("\(labels.hint): \(text(hint))") }
        if !result.warnings.isEmpty {
            lines.append("")
            lines.append("\(labels.warnings):")
            for warning in result.warnings { lines.append("  ! \(text(warning.message))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
