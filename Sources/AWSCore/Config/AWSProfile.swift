import Foundation

/// One named profile: the merged view of its `[profile name]` / `[default]` section in the config file
/// and its `[name]` section in the credentials file (credentials-file keys win, as in botocore).
/// `description` never shows secret values.
public struct AWSProfile: Sendable, Equatable, CustomStringConvertible {
    /// Keys whose values are never shown.
    public static let secretKeys: Set<String> = ["aws_secret_access_key", "aws_session_token", "aws_security_token"]

    public var name: String
    /// Plain `key = value` settings (keys lower-cased).
    public var settings: [String: String]
    /// Nested blocks (`s3 =` followed by indented `key = value` lines).
    public var subsections: [String: [String: String]]
    /// Where each key was read.
    public var locations: [String: ConfigLocation]

    public init(name: String, settings: [String: String] = [:], subsections: [String: [String: String]] = [:], locations: [String: ConfigLocation] = [:]) {
        self.name = name
        self.settings = settings
        self.subsections = subsections
        self.locations = locations
    }

    init(name: String, section: ConfigSection) {
        self.init(name: name, locations: section.locations)
        for (key, value) in section.values {
            switch value {
            case .string(let text): settings[key] = text
            case .nested(let block): subsections[key] = block
            }
        }
    }

    /// A plain setting, or `nil`.
    public subscript(key: String) -> String? { settings[key.lowercased()] }

    /// Where a key was read, for error messages.
    public func location(of key: String) -> ConfigLocation? { locations[key.lowercased()] }

    /// "`file:line`" of a key when known, else the profile name, for error messages.
    public func describeLocation(of key: String) -> String {
        if let location = location(of: key) { return "\(location) (profile '\(name)', \(key))" }
        return "profile '\(name)', \(key)"
    }

    /// True when the profile sets `aws_access_key_id` or `aws_secret_access_key` (botocore's test).
    public var hasStaticCredentials: Bool {
        settings["aws_access_key_id"] != nil || settings["aws_secret_access_key"] != nil
    }

    /// Overlays `other`'s keys on this profile (each key of `other` replaces a plain or nested value).
    public func merging(_ other: AWSProfile) -> AWSProfile {
        var merged = self
        for (key, location) in other.locations {
            merged.settings[key] = nil
            merged.subsections[key] = nil
            merged.locations[key] = location
        }
        for (key, value) in other.settings { merged.settings[key] = value }
        for (key, value) in other.subsections { merged.subsections[key] = value }
        return merged
    }

    public var description: String {
        let keys = Set(settings.keys).union(subsections.keys).sorted()
        let parts = keys.map { key -> String in
            if Self.secretKeys.contains(key) { return "\(key) = <redacted>" }
            if let value = settings[key] { return "\(key) = \(value)" }
            return "\(key) = {\((subsections[key] ?? [:]).keys.sorted().joined(separator: ", "))}"
        }
        return "AWSProfile(\(name): \(parts.joined(separator: "; ")))"
    }
}
