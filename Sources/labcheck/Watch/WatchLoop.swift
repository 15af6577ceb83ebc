import AWSCore
import Checks
import ECRWire
import Foundation
import Reports

/// `labcheck check --watch`: grades the account every interval (each round one `AccountGrader` run,
/// so listings are read once per round and shared by its steps), writes the reports each round, and
/// shows the result (`WatchScreen`). Stops at full marks, on `q` or Ctrl-C. A round that was throttled
/// or could not reach the account waits twice as long as the one before (up to 8 intervals).
struct WatchLoop {
    let runner: CheckRunner
    let interval: WatchInterval
    static let maxBackoff = 8.0

    func run(_ clients: AccountClients) async throws -> LabResult? {
        let environment = ProcessInfo.processInfo.environment
        let onTerminal = isatty(STDOUT_FILENO) == 1
        let screen = WatchScreen(
            language: runner.grading.language,
            style: TerminalStyle.detect(isTTY: onTerminal, environment: environment), interval: interval)
        let input = WatchInput()
        input.start()
        if onTerminal { write("\u{1B}[?25l") }  // hide the cursor while redrawing
        defer {
            input.restore()
            if onTerminal { write("\u{1B}[?25h") }
        }

        var previous: LabResult?
        var round = 0
        var backoff = 1.0
        var timer: Task<Void, Never>?
        var events = input.events.makeAsyncIterator()
        var event: WatchEvent? = .tick
        while event == .tick {
            round += 1
            var note: String?
            var result: LabResult?
            do {
                result = try await runner.grade(clients)
            } catch let error as CLIError where error.exitCode == ExitStatus.couldNotEvaluate {
                note = error.message
            }
            if let result { try runner.writeFiles(result) }
            let troubled = note != nil || result.map(Self.wasThrottled) == true
            backoff = troubled ? min(backoff * 2, Self.maxBackoff) : 1
            let wait = interval.seconds * backoff
            if troubled, note == nil { note = runner.grading.language == .ko ? "요청이 제한되었습니다: 더 천천히 채점합니다" : "throttled: grading less often" }

            if let shown = result ?? previous {
                if onTerminal {
                    write(screen.frame(shown, previous: previous, round: round, wait: wait, note: note))
                } else if let previous, let result {
                    let lines = screen.changes(result, previous: previous, at: Date())
                    if !lines.isEmpty { write(lines.joined(separator: "\n") + "\n") }
                } else if let result {
                    write(TextReport(language: runner.grading.language).render(result))
                }
            }
            if !onTerminal, let note { FileHandle.standardError.write(Data("labcheck: \(note)\n".utf8)) }
            if let result { previous = result }
            if result?.allPassed == true {
                if !onTerminal { write(screen.status(round: round, wait: wait, done: true) + "\n") }
                break
            }
            timer = input.tick(after: wait)
            event = await events.next()
            timer?.cancel()
        }
        return previous
    }

    /// Some step could not be evaluated because the service throttled the calls.
    static func wasThrottled(_ result: LabResult) -> Bool {
        result.steps.contains { $0.status == .error && AWSServiceError.throttlingCodes.contains($0.errorType ?? "") }
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
