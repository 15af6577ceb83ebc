import Checks
import Foundation

/// Why a summary.json or class.json could not be read: which document, what is wrong, and the file.
public struct ReportJSONError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The kind of document being read.
    public enum Document: Sendable, Equatable {
        case summary
        case classReport

        /// "summary", "class report": how messages name it.
        var noun: String { self == .summary ? "summary" : "class report" }
        /// What the document is, for "is not a LabCheck …".
        var fileDescription: String { self == .summary ? "summary.json (a JSON object with \"schemaVersion\")" : "class.json" }
        var currentSchemaVersion: Int { self == .summary ? LabResult.currentSchemaVersion : ClassResult.currentSchemaVersion }
    }

    public enum Problem: Sendable, Equatable {
        case unreadable(path: String, detail: String)
        case notADocument(detail: String)
        case missingSchemaVersion
        case unsupportedSchemaVersion(found: Int, supported: Int)
        case invalid(detail: String)
    }

    public var document: Document
    public var problem: Problem
    /// The file (or place) read, when known.
    public var source: String?

    public init(_ document: Document, _ problem: Problem, source: String?) {
        self.document = document
        self.problem = problem
        self.source = source
    }

    public var description: String {
        let name = source.map { "\(document.noun) \($0)" } ?? document.noun
        switch problem {
        case .unreadable(let path, let detail):
            return "cannot read \(document.noun) \(path): \(detail)"
        case .notADocument(let detail):
            return "\(name) is not a LabCheck \(document.fileDescription): \(detail)"
        case .missingSchemaVersion:
            return "\(name) has no \"schemaVersion\": it was not written by labcheck"
        case .unsupportedSchemaVersion(let found, let supported):
            let advice = found > supported ? "it was written by a newer labcheck; upgrade labcheck" : "regenerate it with this labcheck"
            return "\(name) has schemaVersion \(found), but this labcheck reads schemaVersion \(supported): \(advice)"
        case .invalid(let detail):
            return "\(name) is not a valid \(document.noun) (schemaVersion \(document.currentSchemaVersion)): \(detail)"
        }
    }

    public var errorDescription: String? { description }
}
