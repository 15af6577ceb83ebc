import Foundation

/// Where a setting was read: a file and a 1-based line number.
public struct ConfigLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int

    public init(path: String, line: Int) {
        self.path = path
        self.line = line
    }

    public var description: String { "\(path):\(line)" }
}

/// A malformed shared config or credentials file, or a setting in one that cannot be used.
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based line number, or `nil` when the problem is with the file as a whole.
    public var line: Int?
    public var message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public init(location: ConfigLocation, message: String) {
        self.init(path: location.path, line: location.line, message: message)
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}

/// One value of an INI section: a plain string, or (when the value starts on the line after `key =`)
/// a nested block of `key = value` lines, as botocore parses `s3 =` / `ecr =` sub-sections.
public enum ConfigValue: Sendable, Equatable {
    case string(String)
    case nested([String: String])
}

/// One `[section]` of an INI file, with its options in file order.
public struct ConfigSection: Sendable, Equatable {
    public var name: String
    public var location: ConfigLocation
    public var values: [String: ConfigValue]
    public var locations: [String: ConfigLocation]
    public var keys: [String]

    public init(name: String, location: ConfigLocation) {
        self.name = name
        self.location = location
        self.values = [:]
        self.locations = [:]
        self.keys = []
    }
}

/// Parses the AWS shared config / credentials INI dialect exactly like botocore
/// (`configparser.RawConfigParser` in strict mode plus botocore's one-level nesting):
/// - `[name]` section headers; `key = value` or `key: value` options, keys lower-cased, values trimmed;
/// - whole-line comments starting with `#` or `;` (no inline comments: `a = b # c` keeps `b # c`);
/// - a line indented deeper than its option line continues that option's value;
/// - a value that is empty on its own line and continued below is a nested block of `key = value` lines;
/// - duplicate sections or options in one file, lines outside any section and lines that are
///   neither header nor option are errors naming the file and line.
public enum ConfigFileParser {
    public static func parse(_ text: String, path: String) throws -> [ConfigSection] {
        var sections: [ConfigSection] = []
        var sectionIndex: [String: Int] = [:]
        var current: Int?
        var optionName: String?
        var optionIndent = Int.max
        // Raw lines of each option's value, with their line numbers, joined at the end.
        var rawValues: [[String: [(text: String, line: Int)]]] = []

        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (offset, rawLine) in lines.enumerated() {
            let lineNumber = offset + 1
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            let stripped = line.trimmingCharacters(in: .whitespaces)
            if stripped.hasPrefix("#") || stripped.hasPrefix(";") { continue }
            if stripped.isEmpty {
                // Blank lines inside a multi-line value are kept (trailing ones are trimmed at the end).
                if let current, let optionName {
                    rawValues[current][optionName, default: []].append(("", lineNumber))
                }
                continue
            }
            let indent = line.prefix(while: { $0 == " " || $0 == "\t" }).count
            if let current, let optionName, indent > optionIndent {
                rawValues[current][optionName, default: []].append((stripped, lineNumber))
                continue
            }
            optionIndent = indent
            let location = ConfigLocation(path: path, line: lineNumber)
            if stripped.hasPrefix("["), let close = stripped.lastIndex(of: "]"),
               stripped.index(after: stripped.startIndex) < close {
                let name = String(stripped[stripped.index(after: stripped.startIndex)..<close])
                if let existing = sectionIndex[name] {
                    throw ConfigFileError(
                        location: location,
                        message: "section [\(name)] already defined at line \(sections[existing].location.line)")
                }
                sectionIndex[name] = sections.count
                current = sections.count
                sections.append(ConfigSection(name: name, location: location))
                rawValues.append([:])
                optionName = nil
                continue
            }
            guard let sectionNumber = current else {
                throw ConfigFileError(
                    location: location,
                    message: "expected a section header such as [default] before the first setting")
            }
            guard let delimiter = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigFileError(
                    location: location,
                    message: "expected 'key = value' in section [\(sections[sectionNumber].name)], found a line with neither '=' nor ':'")
            }
            let key = stripped[..<delimiter].trimmingCharacters(in: .whitespaces).lowercased()
            guard !key.isEmpty else {
                throw ConfigFileError(location: location, message: "missing key name before '\(stripped[delimiter])'")
            }
            if let previous = sections[sectionNumber].locations[key] {
                throw ConfigFileError(
                    location: location,
                    message: "option '\(key)' in section [\(sections[sectionNumber].name)] already set at line \(previous.line)")
            }
            let value = stripped[stripped.index(after: delimiter)...].trimmingCharacters(in: .whitespaces)
            sections[sectionNumber].locations[key] = location
            sections[sectionNumber].keys.append(key)
            rawValues[sectionNumber][key] = [(value, lineNumber)]
            optionName = key
        }

        for index in sections.indices {
            for key in sections[index].keys {
                var parts = rawValues[index][key] ?? []
                while let last = parts.last, last.text.isEmpty, parts.count > 1 { parts.removeLast() }
                guard let first = parts.first else { continue }
                if first.text.isEmpty && parts.count > 1 {
                    var nested: [String: String] = [:]
                    for part in parts.dropFirst() where !part.text.isEmpty {
                        guard let equals = part.text.firstIndex(of: "=") else {
                            throw ConfigFileError(
                                path: path, line: part.line,
                                message: "expected 'key = value' inside the '\(key) =' block of section [\(sections[index].name)], found a line without '='")
                        }
                        let nestedKey = part.text[..<equals].trimmingCharacters(in: .whitespaces)
                        nested[nestedKey] = part.text[part.text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                    }
                    sections[index].values[key] = .nested(nested)
                } else {
                    sections[index].values[key] = .string(parts.map(\.text).joined(separator: "\n"))
                }
            }
        }
        return sections
    }
}
