import ArgumentParser
import Checks

/// The exit codes of DESIGN.md.
enum ExitStatus {
    static let passed = ExitCode(0)
    static let failed = ExitCode(1)
    static let badInput = ExitCode(2)
    static let couldNotEvaluate = ExitCode(3)

    /// 3 when some step could not be evaluated, 0 when every graded step passed or the score reached
    /// `passScore` (percent), 1 otherwise.
    static func of(_ result: LabResult, passScore: Double?) -> ExitCode {
        if result.hasErrors { return couldNotEvaluate }
        if let passScore { return result.percentage >= passScore ? passed : failed }
        return result.allPassed ? passed : failed
    }
}

/// An error the CLI reports in one line, with its exit code.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exitCode: ExitCode
    var description: String { message }

    static func badInput(_ message: String) -> CLIError { CLIError(message: message, exitCode: ExitStatus.badInput) }
    static func couldNotEvaluate(_ message: String) -> CLIError { CLIError(message: message, exitCode: ExitStatus.couldNotEvaluate) }
}
