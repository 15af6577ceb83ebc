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
        return switch format {
        case .csv: ClassCSVReport().render(classResult)
        case .json: ClassJSON.string(classResult)
        case .junit: ClassJUnitReport(language: language, hostname: hostname).render(classResult)
        case .markdown: ClassMarkdownReport(language: language).render(classResult)
        case .html: ClassHTMLReport(language: language).render(classResult)
        }
    }

    /// The report in `format` as the bytes `write(_:to:)` writes. Only `.json` can throw.
    public func data(_ classResult: ClassResult, format: ClassReportFormat) throws -> Data {
        if format == .json { return try ClassJSON.encode(Redaction.classResult(classResult)) }
        return Data(render(classResult, format: format).utf8)
    }

    /// Writes class.csv, class.json, class.junit.xml, class.md and class.html into `directory`
    /// (created when needed, files replaced atomically); returns them in that order.
    @discardableResult
    public func write(_ classResult: ClassResult, to directory: URL) throws -> [URL] {
        try ReportFiles.write(ClassReportFormat.allCases.map { format in (format.fileName, { try data(classResult, format: format) }) }, to: directory)
    }
}
