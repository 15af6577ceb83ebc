import Checks
import Foundation

/// Shows grading progress on standard error: a redrawn bar with done/total, failures and ETA on a
/// terminal; one plain line per student otherwise (CI logs).
actor ProgressReporter {
    let total: Int
    let isTTY: Bool
    let started = Date()
    private var done = 0
    private var errors = 0

    init(total: Int, isTTY: Bool) {
        self.total = total
        self.isTTY = isTTY
    }

    func finished(_ outcome: StudentOutcome) {
        done += 1
        if outcome.error != nil { errors += 1 }
        if isTTY {
            let width = 30
            let filled = total == 0 ? width : width * done / total
            let elapsed = Date().timeIntervalSince(started)
            let eta = done == 0 ? 0 : elapsed / Double(done) * Double(total - done)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            write("\r[\(bar)] \(done)/\(total)  errors \(errors)  ETA \(Int(eta.rounded()))s\u{1B}[K" + (done == total ? "\n" : ""))
        } else {
            let detail: String
            if let error = outcome.error {
                detail = "error \(error.type): \(error.message)"
            } else if let result = outcome.result {
                detail = "\(result.earnedPoints)/\(result.totalPoints) (\(String(format: "%.1f", result.percentage))%)"
            } else {
                detail = ""
            }
            write("[\(done)/\(total)] \(outcome.studentId): \(detail)\n")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
