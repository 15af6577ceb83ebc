import ArgumentParser
import AWSCore
import Checks
import FakeECR
import Reports

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

/// An error that is the fault of a file or setting the user gave (a spec, a roster, a profile, a
/// state, a report folder): `labcheck` prints its description in one line and exits 2. Each such
/// error type of the libraries is listed here once, instead of a wrapper at every call site.
protocol BadInputError: Error, CustomStringConvertible {}

extension SpecError: BadInputError {}
extension LedgerError: BadInputError {}
extension PinsFileError: BadInputError {}
extension RosterFileError: BadInputError {}
extension AWSConfigError: BadInputError {}
extension ConfigFileError: BadInputError {}
extension RegionResolutionError: BadInputError {}
extension ReportJSONError: BadInputError {}
extension ClassMergeError: BadInputError {}
extension ReportWriterError: BadInputError {}
extension InputFileError: BadInputError {}

/// An error the CLI reports in one line, with its exit code.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exitCode: ExitCode
    var description: String { message }

    static func badInput(_ message: String) -> CLIError { CLIError(message: message, exitCode: ExitStatus.badInput) }
    static func couldNotEvaluate(_ message: String) -> CLIError { CLIError(message: message, exitCode: ExitStatus.couldNotEvaluate) }
}
