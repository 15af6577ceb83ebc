import ArgumentParser
import Checks
import Foundation
import Reports

/// `labcheck explain`: why a step earned what it did, read from a check output folder (summary.json)
/// or a class output folder (class.json, with --student). Makes no API call.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one graded step from the reports: the checks made, the evidence (source, time), the policy rules applied.",
        discussion: "Reads <from>/summary.json (a `check` output folder) or <from>/class.json (a `grade` output folder, with --student). No API call."
    )

    @Option(help: ArgumentHelp("The step to explain (its id in the lab's spec).", valueName: "step"))
    var step: String

    @Option(help: ArgumentHelp("A check or grade output folder.", valueName: "dir"))
    var from: String = "reports"

    @Option(help: ArgumentHelp("The student, in a class output folder.", valueName: "id"))
    var student: String?

    @OptionGroup var language: LanguageOptions

    func run() throws {
        let result = try graded()
        guard let found = result.steps.first(where: { $0.id == step }) else {
            throw CLIError.badInput("step '\(step)' is not in the result; its steps are: \(result.steps.map(\.id).joined(separator: ", "))")
        }
        print(ExplainReport(language: language.language).render(result, step: found), terminator: "")
    }

    /// The graded result the step is read from.
    func graded() throws -> LabResult {
        let folder = URL(fileURLWithPath: from, isDirectory: true)
        let classFile = folder.appendingPathComponent(ClassReportWriter.jsonFileName)
        if FileManager.default.fileExists(atPath: classFile.path) {
            let classResult = try ClassJSON.read(from: classFile)
            let ids = classResult.students.map(\.studentId)
            guard let student else {
                throw CLIError.badInput("\(classFile.path) is a class report: name the student with --student (one of: \(ids.prefix(10).joined(separator: ", "))\(ids.count > 10 ? ", …" : ""))")
            }
            guard let outcome = classResult.students.first(where: { $0.studentId == student }) else {
                throw CLIError.badInput("student '\(student)' is not in \(classFile.path)")
            }
            guard var result = outcome.result else {
                throw CLIError.badInput("student '\(student)' was not graded: \(outcome.error?.description ?? "no result")")
            }
            if result.studentId == nil { result.studentId = student }
            return result
        }
        let summaryFile = folder.appendingPathComponent(ReportWriter.summaryJSONFileName)
        guard FileManager.default.fileExists(atPath: summaryFile.path) else {
            throw CLIError.badInput("\(from): neither class.json nor summary.json is there (give a check or grade output folder with --from)")
        }
        let result = try SummaryJSON.read(from: summaryFile)
        if let student, let graded = result.studentId, graded != student {
            throw CLIError.badInput("\(summaryFile.path) is the result of student '\(graded)', not '\(student)'")
        }
        return result
    }
}
