import Checks
import Foundation

/// The formats of the class reports.
public enum ClassReportFormat: String, Sendable, CaseIterable, Codable {
    case csv
    case json
    case junit
    case markdown
    case html

    /// The file `ClassReportWriter.write(_:to:)` writes in this format.
    public var fileName: String {
        switch self {
        case .csv: ClassReportWriter.csvFileName
        case .json: ClassReportWriter.jsonFileName
        case .junit: ClassReportWriter.junitFileName
        case .markdown: ClassReportWriter.markdownFileName
        case .html: ClassReportWriter.htmlFileName
        }
    }
}

/// Writes every class report of a `ClassResult`, in one language. The output depends only on the
/// `ClassResult`, the language and the hostname (no clock, no environment), so writing a merged
/// result gives the same bytes as writing the unsharded one.
public struct ClassReportWriter: Sendable {
    public static let csvFileName = "class.csv"
    public static let jsonFileName = "class.json"
    public static let junitFileName = "class.junit.xml"
    public static let markdownFileName = "class.md"
    public static let htmlFileName = "class.html"

    public var language: Language
    /// `testsuite@hostname` in JUnit; this machine's name when nil.
    public var hostname: String?

    public init(language: Language, hostname: String? = nil) {
        self.language = language
        self.hostname = hostname
    }

    /// The report in `format` (e.g. for standard output).
    public func render(_ classResult: ClassResult, format: ClassReportFormat) -> String {
        let classResult = Redaction.classResult(classResult)
        if format == .json { return ClassJSON.string(classResult) }
        let stream = ReportStream.memory()
        try? write(classResult, format: format, statistics: ClassStatistics(classResult), to: stream)
        return stream.text
    }

    /// The report in `format` as the bytes `write(_:to:)` writes. Only `.json` can throw.
    public func data(_ classResult: ClassResult, format: ClassReportFormat) throws -> Data {
        let classResult = Redaction.classResult(classResult)
        let stream = ReportStream.memory()
        try write(classResult, format: format, statistics: ClassStatistics(classResult), to: stream)
        return stream.data
    }

    /// Writes class.csv, class.json, class.junit.xml, class.md and class.html into `directory`
    /// (created when needed, files replaced atomically); returns them in that order. Each report is
    /// streamed into its file a student at a time; the class's statistics are computed once.
    @discardableResult
    public func write(_ classResult: ClassResult, to directory: URL) throws -> [URL] {
        let classResult = Redaction.classResult(classResult)
        let statistics = ClassStatistics(classResult)
        return try ReportFiles.write(streaming: ClassReportFormat.allCases.map { format in
            (format.fileName, { stream in try write(classResult, format: format, statistics: statistics, to: stream) })
        }, to: directory)
    }

    /// One report into `stream`, from a result the public entries have redacted. Only `.json` can throw.
    private func write(_ classResult: ClassResult, format: ClassReportFormat, statistics: ClassStatistics, to stream: ReportStream) throws {
        switch format {
        case .csv: ClassCSVReport().write(classResult, to: stream)
        case .json: try ClassJSON.write(classResult, statistics: statistics, to: stream)
        case .junit: ClassJUnitReport(language: language, hostname: hostname).write(classResult, to: stream)
        case .markdown: ClassMarkdownReport(language: language).write(classResult, statistics: statistics, to: stream)
        case .html: ClassHTMLReport(language: language).write(classResult, statistics: statistics, to: stream)
        }
    }
}
