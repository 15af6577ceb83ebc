import Foundation

/// A spec value that may refer to variables: `${account}`, `${region}`, or a value captured by an earlier
/// step (e.g. `${prefix}/nginx/nginx`).
public struct Template: Sendable, Hashable, Codable, CustomStringConvertible {
    public let raw: String
    /// The variable names used, in order of appearance.
    public let variables: [String]

    /// Variables every run knows.
    public static let builtins: Set<String> = ["account", "region"]

    public init(_ raw: String) throws(TemplateError) {
        self.raw = raw
        var names: [String] = []
        var rest = Substring(raw)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw TemplateError(problem: "unclosed '${' in '\(raw)'")
            }
            let name = String(rest[start.upperBound..<end])
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw TemplateError(problem: "bad variable name '\(name)' in '\(raw)'")
            }
            names.append(name)
            rest = rest[rest.index(after: end)...]
        }
        self.variables = names
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.problem))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(raw)
    }

    /// The value with every variable replaced; `nil` if some variable has no value yet.
    public func render(_ values: [String: String]) -> String? {
        var result = raw
        for name in Set(variables) {
            guard let value = values[name] else { return nil }
            result = result.replacingOccurrences(of: "${\(name)}", with: value)
        }
        return result
    }

    public var description: String { raw }
}

public struct TemplateError: Error, Sendable, Equatable {
    public var problem: String
}
