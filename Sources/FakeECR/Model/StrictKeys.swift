import Foundation

/// Rejects keys a hand-written input file should not have (a typo must not pass silently).
enum StrictKeys {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
    }

    static func check(_ decoder: any Decoder, allowed: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [key],
                debugDescription: "unknown key '\(key.stringValue)'; expected one of: \(allowed.joined(separator: ", "))"))
        }
    }
}

/// A bad input file (state or accounts): names the file, the JSON path and what was expected.
public struct InputFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var path: String
    public var problem: String

    public init(file: String, path: String, problem: String) {
        self.file = file
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(file): at \(path): \(problem)" }

    /// `$.registries[0].repositories[2].imageTagMutability`
    static func jsonPath(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce("$") { path, key in
            if let index = key.intValue { return path + "[\(index)]" }
            return path + "." + key.stringValue
        }
    }

    static func from(_ error: any Error, file: String) -> InputFileError {
        switch error {
        case let error as InputFileError:
            return error
        case DecodingError.keyNotFound(let key, let context):
            return InputFileError(file: file, path: jsonPath(context.codingPath + [key]), problem: "missing required key '\(key.stringValue)'")
        case DecodingError.valueNotFound(let type, let context):
            return InputFileError(file: file, path: jsonPath(context.codingPath), problem: "expected \(typeName(type)), found null")
        case DecodingError.typeMismatch(let type, let context):
            return InputFileError(file: file, path: jsonPath(context.codingPath), problem: "expected \(typeName(type))")
        case DecodingError.dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return InputFileError(file: file, path: "$", problem: "not valid JSON" + (underlying.map { " (\($0))" } ?? ""))
            }
            return InputFileError(file: file, path: jsonPath(context.codingPath), problem: context.debugDescription)
        default:
            return InputFileError(file: file, path: "$", problem: "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is Date.Type: return "an ISO 8601 date like 2025-04-02T06:49:07Z"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object (\(name))"
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputFileError(file: url.path, path: "$", problem: "cannot read the file: \(error.localizedDescription)")
        }
        return try decode(type, from: data, file: url.path)
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws -> T {
        do {
            return try StateDocument.decoder().decode(type, from: data)
        } catch {
            throw from(error, file: file)
        }
    }
}
