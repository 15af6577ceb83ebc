import AWSCore
import Checks
import ECRWire
import Foundation
import Reports

/// One student's check, end to end, for `check` and `demo`: grade the account (keeping the ledger
/// in the output folder), write the reports, print the chosen format.
struct CheckRunner {
    let spec: LabSpec
    let pins: UpstreamPins?
    let grading: GradingOptions
    /// The instructor's grading policy, when given (`--policy`).
    var policy: GradingPolicy?
    /// Ignore an existing ledger (the demo starts from a clean history every time).
    var freshLedger = false

    func run(_ clients: AccountClients) async throws -> LabResult {
        let result = try await grade(clients)
        try writeReports(result)
        return result
    }

    /// Grades the account (keeping the ledger), writing and printing nothing.
    func grade(_ clients: AccountClients) async throws -> LabResult {
        let ledgers = LedgerStore(directory: grading.outputURL, ignoresExisting: freshLedger)
        let result: LabResult
        do {
            result = try await AccountGrader(
                spec: spec, phase: grading.phase, ledgers: ledgers, pins: pins, history: grading.history, policy: policy).grade(clients)
        } catch .ledger(let error) {
            throw error
        } catch .saveLedger {
            throw CLIError.badInput("\(grading.outputURL.path): could not save the evidence ledger there")
        } catch {
            throw CLIError.couldNotEvaluate(error.description)
        }
        return result
    }

    func writeReports(_ result: LabResult) throws {
        let language = grading.language
        let environment = ProcessInfo.processInfo.environment
        let writer = ReportWriter(language: language)
        let written = try writeFiles(result)
        try writer.appendToGitHubStepSummary(result, environment: environment)
        let style = TerminalStyle.detect(isTTY: isatty(STDOUT_FILENO) == 1, environment: environment)
        print(writer.render(result, format: grading.format, style: style), terminator: "")
        let names = written.map { relativePath($0) }.joined(separator: ", ")
        let label = language == .ko ? "보고서" : "reports"
        FileHandle.standardError.write(Data("\(label): \(names)\n".utf8))
    }

    /// Writes the report files into the output folder (no output, no GitHub step summary).
    @discardableResult
    func writeFiles(_ result: LabResult) throws -> [URL] {
        try ReportWriter(language: grading.language).write(result, to: grading.outputURL)
    }

    func relativePath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
    }
}
