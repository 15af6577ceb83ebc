import ArgumentParser
import Checks
import Foundation
import Reports

extension PhaseSelection: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

/// `--lang`, for every command that writes words.
struct LanguageOptions: ParsableArguments {
    @Option(help: "Language of the messages and reports: ko or en (default: from LANG).")
    var lang: Language?

    var language: Language { lang ?? Language.fromEnvironment(ProcessInfo.processInfo.environment) }
}

/// `--output`, for every command that writes reports.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder for the reports (and the evidence ledgers of check and grade).", valueName: "dir"))
    var output: String = "reports"

    var outputURL: URL { URL(fileURLWithPath: output, isDirectory: true) }
}

/// `--phase`, for every command that grades.
struct PhaseOptions: ParsableArguments {
    @Option(help: "Which phase to grade and total: build, cleanup or all; preflight checks only the pull and push permissions (no points).")
    var phase: PhaseSelection = .all
}

/// What to grade and how to report one account; shared by check and demo.
struct GradingOptions: ParsableArguments {
    @OptionGroup var phaseOptions: PhaseOptions
    @OptionGroup var languageOptions: LanguageOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var historyOptions: HistoryOptions

    @Option(help: "What to print on standard output: text, json, junit or markdown.")
    var format: ReportFormat = .text

    @Option(name: .customLong("pass-score"), help: ArgumentHelp("Exit 0 when the score reaches this percentage.", valueName: "percent"))
    var passScore: Double?

    var phase: PhaseSelection { phaseOptions.phase }
    var language: Language { languageOptions.language }
    var outputURL: URL { outputOptions.outputURL }
    var history: HistoryWindow? { historyOptions.window }

    func validate() throws {
        if let passScore, !(0...100).contains(passScore) {
            throw ValidationError("--pass-score must be between 0 and 100, found \(passScore)")
        }
    }
}

/// `--upstream-images`: OCI layouts standing in for the upstream registries (demo, verify-lab).
struct UpstreamImagesOptions: ParsableArguments {
    static let defaultPath = "fixtures/upstream"

    @Option(name: .customLong("upstream-images"), help: ArgumentHelp(
        "OCI image layouts of the upstream registries, one folder per registry host (default: \(Self.defaultPath); demo: the built-in pins of those images).",
        valueName: "dir"))
    var upstreamImages: String?

    /// The layouts' folder: as given, else the default.
    var url: URL { URL(fileURLWithPath: upstreamImages ?? Self.defaultPath, isDirectory: true).standardizedFileURL }
}

extension HistoryWindow: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public var defaultValueDescription: String { "90d" }
}

/// `--since` and `--no-history`, for every command that grades an account: how much of the account's
/// CloudTrail history (LookupEvents) may prove steps that the live state no longer shows.
struct HistoryOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Read the account's CloudTrail history from this far back: a duration (90d, 36h, 45m, 2w) or a date (2026-11-30, 2026-11-30T09:00:00Z). Needs cloudtrail:LookupEvents.",
        valueName: "duration|date"))
    var since: HistoryWindow = HistoryWindow()

    @Flag(name: .customLong("no-history"), help: "Grade from the live state and the evidence ledger only (no CloudTrail lookups).")
    var noHistory = false

    var window: HistoryWindow? { noHistory ? nil : since }
}
