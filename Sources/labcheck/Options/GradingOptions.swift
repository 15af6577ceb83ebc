import ArgumentParser
import Checks
import Foundation

extension PhaseSelection: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

/// What to grade and how to report it; shared by check, demo and grade.
struct GradingOptions: ParsableArguments {
    @Option(help: "Which phase to grade and total: build, cleanup or all.")
    var phase: PhaseSelection = .all

    @Option(help: "Language of the messages: ko or en (default: from LANG).")
    var lang: Language?

    @Option(name: .long, help: ArgumentHelp("Folder for the reports and the evidence ledger.", valueName: "dir"))
    var output: String = "reports"

    @Option(help: "What to print on standard output: text, json, junit or markdown.")
    var format: OutputFormat = .text

    @Option(name: .customLong("pass-score"), help: ArgumentHelp("Exit 0 when the score reaches this percentage.", valueName: "percent"))
    var passScore: Double?

    var language: Language { lang ?? Language.fromEnvironment(ProcessInfo.processInfo.environment) }
    var outputURL: URL { URL(fileURLWithPath: output, isDirectory: true) }

    func validate() throws {
        if let passScore, !(0...100).contains(passScore) {
            throw ValidationError("--pass-score must be between 0 and 100, found \(passScore)")
        }
    }
}

/// `--format` values.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, markdown
}
