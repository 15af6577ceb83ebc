import Foundation

/// Reading and writing a pins file: pretty, key-sorted JSON (stable diffs for review), dates ISO 8601.
public enum PinsFile {
    /// `checks/ecr-lab.yaml` → `checks/ecr-lab.pins.json`: where a spec's pins are looked for by default.
    public static func defaultURL(forSpec spec: URL) -> URL {
        spec.deletingPathExtension().appendingPathExtension("pins.json")
    }

    public static func read(_ url: URL, labId: String) throws -> UpstreamPins {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PinsFileError(file: url.path, problem: "cannot read the file (\(error.localizedDescription))")
        }
        return try decode(data, file: url.path, labId: labId)
    }

    /// A pins file's contents, checked as `read` checks them; `file` names it in errors.
    public static func decode(_ data: Data, file: String, labId: String) throws -> UpstreamPins {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let pins: UpstreamPins
        do {
            pins = try decoder.decode(UpstreamPins.self, from: data)
        } catch let error as DecodingError {
            throw PinsFileError(file: file, problem: Self.describe(error))
        } catch {
            throw PinsFileError(file: file, problem: "not JSON (\(error.localizedDescription))")
        }
        guard pins.schemaVersion == UpstreamPins.currentSchemaVersion else {
            throw PinsFileError(file: file, problem: "schemaVersion \(pins.schemaVersion) is not supported (expected \(UpstreamPins.currentSchemaVersion))")
        }
        guard pins.labId == labId else {
            throw PinsFileError(file: file, problem: "labId: the pins are for lab '\(pins.labId)', the checks for '\(labId)'")
        }
        for (reference, image) in pins.images {
            for digest in [image.digest] + image.platforms.flatMap({ [$0.manifestDigest, $0.configDigest] }) where !Self.isDigest(digest) {
                throw PinsFileError(file: file, problem: "images.\(reference): '\(digest)' is not a digest of the form sha256:<64 hex digits>")
            }
        }
        return pins
    }

    public static func encode(_ pins: UpstreamPins) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var data = try encoder.encode(pins)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    public static func write(_ pins: UpstreamPins, to url: URL) throws {
        try encode(pins).write(to: url, options: .atomic)
    }

    static func isDigest(_ text: String) -> Bool {
        text.hasPrefix("sha256:") && text.utf8.count == 71 && text.utf8.dropFirst(7).allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// A pins file that cannot be used: the file and what is wrong in it.
public struct PinsFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var description: String { "\(file): \(problem)" }
}
