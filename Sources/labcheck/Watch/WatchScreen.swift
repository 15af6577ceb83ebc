import Checks
import Foundation
import Reports

/// What watch mode shows: on a terminal, a whole screen redrawn in place each round (the next step
/// and its hint at the top, a progress bar, the table with newly passed steps marked); elsewhere,
/// the first report and then one line per step whose status changed.
struct WatchScreen {
    var language: Language
    var style: TerminalStyle
    var interval: WatchInterval

    /// Move to the top left and clear the screen.
    static let clear = "\u{1B}[H\u{1B}[2J"

    /// The steps that pass in `result` and did not in `previous` (none in the first round).
    static func newlyPassed(_ result: LabResult, since previous: LabResult?) -> Set<String> {
        guard let previous else { return [] }
        let before = Dictionary(previous.steps.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first })
        return Set(result.steps.filter { $0.status == .passed && before[$0.id] != .passed }.map(\.id))
    }

    /// The whole screen of one round.
    func frame(_ result: LabResult, previous: LabResult?, round: Int, wait: Double, note: String?) -> String {
        var report = TextReport(language: language, style: style)
        report.newlyPassed = Self.newlyPassed(result, since: previous)
        let rendered = report.render(result)
        // The next step (the report's first lines, up to the blank line) stays at the very top.
        let split = rendered.range(of: "\n\n")
        let head = split.map { String(rendered[..<$0.lowerBound]) } ?? ""
        let rest = split.map { String(rendered[$0.upperBound...]) } ?? rendered
        var lines = [head]
        lines.append("")
        lines.append(style.apply(.bold, Self.bar(result)) + "  " + scoreText(result))
        lines.append(style.apply(.dim, status(round: round, wait: wait, done: result.allPassed)))
        if let note { lines.append(style.apply(.error, note)) }
        lines.append("")
        return Self.clear + lines.joined(separator: "\n") + "\n" + rest
    }

    /// One line per step whose status changed since `previous`, and the score when it did.
    func changes(_ result: LabResult, previous: LabResult, at date: Date) -> [String] {
        let before = Dictionary(previous.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let time = Self.clock(date)
        var lines: [String] = []
        for step in result.steps {
            guard let old = before[step.id], old.status != step.status else { continue }
            lines.append("\(time) \(step.id): \(old.status.rawValue) → \(step.status.rawValue) (\(step.earned)/\(step.points))")
        }
        if !lines.isEmpty { lines.append("\(time) \(scoreText(result))") }
        return lines
    }

    /// "[██████████░░░░░░░░░░]" of earned over total points.
    static func bar(_ result: LabResult, width: Int = 30) -> String {
        let filled = result.totalPoints > 0 ? min(width, result.earnedPoints * width / result.totalPoints) : 0
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]"
    }

    func scoreText(_ result: LabResult) -> String {
        let score = language == .ko ? "점수" : "Score"
        return "\(score) \(result.earnedPoints)/\(result.totalPoints) (\(String(format: "%.1f", result.percentage))%)"
    }

    func status(round: Int, wait: Double, done: Bool) -> String {
        let seconds = WatchInterval(seconds: wait).description
        if done {
            return language == .ko ? "만점입니다: 감시를 마칩니다 (\(round)회차)" : "Full marks: watching stops (round \(round))"
        }
        return language == .ko
            ? "\(round)회차 · \(seconds) 후 다시 채점 · q 또는 Ctrl-C 로 종료"
            : "round \(round) · next in \(seconds) · q or Ctrl-C to stop"
    }

    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: date)
    }
}
