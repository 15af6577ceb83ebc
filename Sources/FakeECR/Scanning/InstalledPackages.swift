import Foundation

/// The package managers whose databases basic scanning reads.
public enum PackageEcosystem: String, Sendable, Codable, CaseIterable {
    /// Debian and Ubuntu: `var/lib/dpkg/status`.
    case dpkg
    /// Alpine: `lib/apk/db/installed`.
    case apk

    /// Where an image's files hold this ecosystem's database of installed packages.
    public var databasePath: String {
        switch self {
        case .dpkg: "var/lib/dpkg/status"
        case .apk: "lib/apk/db/installed"
        }
    }

    /// Whether `version` is older than `other` by this ecosystem's rules.
    public func isOlder(_ version: String, than other: String) -> Bool {
        switch self {
        case .dpkg: DebianVersion.compare(version, other) < 0
        case .apk: APKVersion.compare(version, other) < 0
        }
    }
}

/// One installed package of an image.
public struct InstalledPackage: Sendable, Equatable {
    public var ecosystem: PackageEcosystem
    public var name: String
    public var version: String
    /// The source package it was built from (dpkg's `Source`, apk's `o:` origin), when named.
    public var source: String?

    public init(ecosystem: PackageEcosystem, name: String, version: String, source: String? = nil) {
        self.ecosystem = ecosystem
        self.name = name
        self.version = version
        self.source = source
    }

    /// The packages of a dpkg status file: paragraphs of `Field: value` lines, separated by blank
    /// lines; only those whose `Status` ends in `installed` (not `config-files`, `half-installed`).
    public static func dpkg(_ text: String) -> [InstalledPackage] {
        stanzas(text, separator: ":").compactMap { fields in
            guard let name = fields["Package"], let version = fields["Version"] else { return nil }
            if let status = fields["Status"], status.split(separator: " ").last != "installed" { return nil }
            // `Source: glibc (2.36-9)` names the source and its version when they differ.
            let source = fields["Source"].map { String($0.split(separator: " ").first ?? Substring($0)) }
            return InstalledPackage(ecosystem: .dpkg, name: name, version: version, source: source)
        }
    }

    /// The packages of apk's installed database: records of `X:value` lines (`P` name, `V`
    /// version, `o` origin), separated by blank lines.
    public static func apk(_ text: String) -> [InstalledPackage] {
        stanzas(text, separator: ":", singleLetter: true).compactMap { fields in
            guard let name = fields["P"], let version = fields["V"] else { return nil }
            return InstalledPackage(ecosystem: .apk, name: name, version: version, source: fields["o"])
        }
    }

    /// Blank-line separated records of `key<separator>value` lines; dpkg's continuation lines
    /// (starting with a space or tab) belong to the field before and are dropped here.
    private static func stanzas(_ text: String, separator: Character, singleLetter: Bool = false) -> [[String: String]] {
        var records: [[String: String]] = []
        var current: [String: String] = [:]
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !current.isEmpty { records.append(current) }
                current = [:]
                continue
            }
            if line.first == " " || line.first == "\t" { continue }
            guard let colon = line.firstIndex(of: separator) else { continue }
            let key = String(line[..<colon])
            if singleLetter, key.count != 1 { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if current[key] == nil { current[key] = value }
        }
        if !current.isEmpty { records.append(current) }
        return records
    }
}
