import Foundation

/// The languages LabCheck speaks to students and instructors.
public enum Language: String, Codable, Sendable, CaseIterable {
    case ko
    case en

    /// The language named by a POSIX locale variable such as `LANG=ko_KR.UTF-8`; English otherwise.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty {
                return value.lowercased().hasPrefix("ko") ? .ko : .en
            }
        }
        return .en
    }
}

/// A text in Korean and English.
public struct LocalizedText: Codable, Sendable, Hashable {
    public var ko: String
    public var en: String

    public init(ko: String, en: String) {
        self.ko = ko
        self.en = en
    }

    /// The same text in both languages (identifiers, numbers).
    public init(_ both: String) {
        self.ko = both
        self.en = both
    }

    public func text(_ language: Language) -> String {
        switch language {
        case .ko: ko
        case .en: en
        }
    }
}
