import Foundation

/// ISO 8601 times as people write them in LabCheck's inputs (`--since`, a policy file, a roster's
/// `deadline`): the one place they are read.
public enum ISO8601Text {
    /// A date-time with a zone: `2026-11-30T09:00:00Z`, `2026-11-30T18:00:00+09:00`; nil otherwise.
    public static func dateTime(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard text.contains("T") else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A calendar day, `2026-11-30`, as its first instant in UTC; nil otherwise.
    public static func day(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard text.count == 10 else { return nil }
        return try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day())
    }

    /// "2026-11-30T09:00:00Z": how reports and messages write a time.
    public static func text(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(Date.ISO8601FormatStyle())
    }
}
