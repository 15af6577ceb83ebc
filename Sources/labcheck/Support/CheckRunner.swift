import AWSCore
import Checks
import ECRWire
import Foundation
import Reports

/// One student's check, end to end: evaluate against ECR, keep the evidence, write the reports.
struct CheckRunner {
    let spec: LabSpec
    let grading: GradingOptions
    /// Ignore an existing ledger (the demo starts from a clean history every time).
    var freshLedger = false

    func run(ecr: ECRClient, sts: STSClient?, client: AWSClient, region: String, accountId: String? = nil) async throws -> LabResult {
        let reader = AccountReader(ecr: ecr, sts: sts)
        let store = LedgerStore(directory: grading.outputURL)
        let labId = spec.id
        let fresh = freshLedger
        let output: Evaluator.Output
        do {
            output = try await Evaluator(spec: spec, reader: reader).evaluate(
                phase: grading.phase, accountId: accountId, region: region,
                apiCalls: { client.totalRequests },
                loadLedger: { account in fresh ? EvidenceLedger(labId: labId, accountId: account) : try store.load(labId: labId, accountId: account) })
        } catch let error as LedgerError {
            throw CLIError.badInput(error.description)
        } catch {
            throw CLIError.couldNotEvaluate("could not evaluate the lab: \(error)")
        }
        try store.save(output.ledger)
        try writeReports(output.result)
        return output.result
    }

    func writeReports(_ result: LabResult) throws {
        let language = grading.language
        let environment = ProcessInfo.processInfo.environment
        let writer = ReportWriter(language: language)
        let written = try writer.write(result, to: grading.outputURL)
        try writer.appendToGitHubStepSummary(result, environment: environment)
        let style = TerminalStyle.detect(isTTY: isatty(STDOUT_FILENO) == 1, environment: environment)
        print(writer.render(result, format: grading.format.reportFormat, style: style), terminator: "")
        let names = written.map { relativePath($0) }.joined(separator: ", ")
        let label = language == .ko ? "보고서" : "reports"
        FileHandle.standardError.write(Data("\(label): \(names)\n".utf8))
    }

    func relativePath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
    }
}

extension OutputFormat {
    var reportFormat: ReportFormat {
        switch self {
        case .text: .text
        case .json: .json
        case .junit: .junit
        case .markdown: .markdown
        }
    }
}
