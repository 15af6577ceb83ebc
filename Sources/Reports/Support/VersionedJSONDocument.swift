import Checks
import Foundation

/// The one reader of LabCheck's versioned JSON documents (summary.json, class.json): the bytes must be
/// a JSON object with a supported `schemaVersion` and, where the document has one, its `kind`; only
/// then is the typed shape decoded. Each failure is a `ReportJSONError` naming the document and source.
enum VersionedJSONDocument {
    /// What is read before the shape: enough to tell which document this is, and which version.
    struct Probe: Decodable {
        var schemaVersion: Int?
        var kind: String?
        var hasStudents: Bool

        enum CodingKeys: String, CodingKey { case schemaVersion, kind, students }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            schemaVersion = try container.decodeIfPresent(Int.self, forKey: .schemaVersion)
            kind = try container.decodeIfPresent(String.self, forKey: .kind)
            hasStudents = container.contains(.students)
        }
    }

    static func decode<Shape: Decodable>(
        _ shape: Shape.Type, _ document: ReportJSONError.Document, from data: Data, source: String?
    ) throws -> Shape {
        let decoder = ReportJSONCoding.decoder()
        let probe: Probe
        do {
            probe = try decoder.decode(Probe.self, from: data)
        } catch {
            throw ReportJSONError(document, .notADocument(detail: ReportJSONCoding.describe(error)), source: source)
        }
        guard let version = probe.schemaVersion else { throw ReportJSONError(document, .missingSchemaVersion, source: source) }
        if let problem = document.identify(probe) { throw ReportJSONError(document, problem, source: source) }
        guard version == document.currentSchemaVersion else {
            throw ReportJSONError(document, .unsupportedSchemaVersion(found: version, supported: document.currentSchemaVersion), source: source)
        }
        do {
            return try decoder.decode(Shape.self, from: data)
        } catch {
            throw ReportJSONError(document, .invalid(detail: ReportJSONCoding.describe(error)), source: source)
        }
    }

    /// Reads a document file.
    static func read<Shape: Decodable>(_ shape: Shape.Type, _ document: ReportJSONError.Document, from url: URL) throws -> Shape {
        try decode(shape, document, from: try ReportJSONCoding.contents(of: url, document), source: url.path)
    }
}

extension ReportJSONError.Document {
    /// Why a probed document is not this kind of document, if it is not.
    func identify(_ probe: VersionedJSONDocument.Probe) -> ReportJSONError.Problem? {
        switch self {
        case .summary:
            return nil
        case .classReport:
            if let kind = probe.kind, kind != ClassJSON.kind {
                return .notADocument(detail: "its kind is \"\(kind)\", not \"\(ClassJSON.kind)\"")
            }
            if probe.kind == nil, !probe.hasStudents {
                return .notADocument(detail: "it has no \"students\" (a summary.json of one student?)")
            }
            return nil
        }
    }
}
