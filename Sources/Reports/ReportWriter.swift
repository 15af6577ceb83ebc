import Checks
import Foundation

/// The output formats of `--format` on standard output.
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    case text
    case json
    case junit
    case markdown
}

/// Why a report could not be written.
public struct ReportWriterError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The file or directory involved.
    public var path: String
    /// What was being done, e.g. "create the output directory".
    public var action: String
    public var detail: String

    public init(path: String, action: String, detail: String) {
        self.path = path
        self.action = action
        self.detail = detail
    }

    public var description: String { "cannot \(action) \(path): \(detail)" }
    public var errorDescription: String? { description }
}

/// Writes every report of a `LabResult`, in one language.
public struct ReportWriter: Sendable {
    public static let summaryJSONFileName = "summary.json"
    public static let junitFileName = "junit.xml"
    public static let markdownFileName = "summary.md"
    public static let textFileName = "summary.txt"

    public var language: Language
    /// `testsuite@hostname` in JUnit; this machine's name when nil.
    public var hostname: String?

    public init(language: Language, hostname: String? = nil) {
        self.language = language
        self.hostname = hostname
    }

    /// The report in `format`, for standard output (`--format`). `style` only affects `.text`.
    public func render(_ result: LabResult, format: ReportFormat, style: TerminalStyle = .plain) -> String {
        let result = Redaction.result(result)
        switch format {
        case .text:
            return TextReport(language: language, style: style).render(result)
        case .json:
            return SummaryJSON.string(result)
        case .junit:
            return JUnitReport(language: language, hostname: hostname).render(result)
        case .markdown:
            return MarkdownReport(language: language).render(result)
        }
    }

    /// Writes summary.json, junit.xml, summary.md and summary.txt (no colour) into `directory`,
    /// creating it; returns the written files in that order.
    @discardableResult
    public func write(_ result: LabResult, to directory: URL) throws -> [URL] {
        let summaryPath = directory.appendingPathComponent(Self.summaryJSONFileName).path
        let result = Redaction.result(result)
        return try ReportFiles.write([
            (Self.summaryJSONFileName, { try encodedSummary(result, path: summaryPath) }),
            (Self.junitFileName, { Data(render(result, format: .junit).utf8) }),
            (Self.markdownFileName, { Data(render(result, format: .markdown).utf8) }),
            (Self.textFileName, { Data(render(result, format: .text, style: .plain).utf8) }),
        ], to: directory)
    }

    private func encodedSummary(_ result: LabResult, path: String) throws -> Data {
        do {
            return try SummaryJSON.encode(result)
        } catch {
            throw ReportWriterError(path: path, action: "encode", detail: "\(error)")
        }
    }

    /// Appends the Markdown report to the file named by `GITHUB_STEP_SUMMARY` (GitHub Actions),
    /// creating it if needed. Returns that file, or nil when the variable is unset or empty.
    @discardableResult
    public func appendToGitHubStepSummary(
        _ result: LabResult, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> URL? {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return nil }
        let url = URL(fileURLWithPath: path)
        let markdown = render(result, format: .markdown) + "\n"
        do {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw ReportWriterError(
                        path: path, action: "create the GitHub step summary (GITHUB_STEP_SUMMARY)",
                        detail: "the file could not be created (does its directory exist?)")
                }
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(markdown.utf8))
        } catch let error as ReportWriterError {
            throw error
        } catch {
            throw ReportWriterError(
                path: path, action: "append to the GitHub step summary (GITHUB_STEP_SUMMARY)",
                detail: error.localizedDescription)
        }
        return url
    }
}
