import Foundation

/// Dates as reports write them: ISO 8601 in UTC, to the millisecond.
enum ReportDates {
    /// "2025-01-02T03:04:05Z", or "2025-01-02T03:04:05.123Z" when the date has milliseconds.
    static func iso8601(_ date: Date) -> String {
        let totalMilliseconds = milliseconds(date)
        let seconds = (totalMilliseconds / 1000).rounded(.down)
        let milliseconds = Int(totalMilliseconds - seconds * 1000)
        let base = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
        guard milliseconds != 0, base.hasSuffix("Z") else { return base }
        let digits = String(milliseconds)
        return String(base.dropLast()) + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// The date in whole milliseconds since 1970, as `iso8601(_:)` writes it.
    static func milliseconds(_ date: Date) -> Double {
        (date.timeIntervalSince1970 * 1000).rounded()
    }

    /// JUnit's timestamp: "2025-01-02T03:04:05" (UTC, no zone, no fraction), from the date in whole
    /// milliseconds as `iso8601(_:)` writes it, so a date read back from summary.json or class.json
    /// (e.g. by `labcheck merge`) gives the same timestamp as the date it was written from.
    static func junitTimestamp(_ date: Date) -> String {
        let seconds = (milliseconds(date) / 1000).rounded(.down)
        let text = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
        return text.hasSuffix("Z") ? String(text.dropLast()) : text
    }

    /// Parses what `iso8601(_:)` writes, plus other ISO 8601 date-times with a zone.
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let dot = trimmed.firstIndex(of: ".") else {
            return try? Date.ISO8601FormatStyle().parse(trimmed)
        }
        let afterDot = trimmed[trimmed.index(after: dot)...]
        let digits = afterDot.prefix(while: { $0.isASCII && $0.isNumber })
        let zone = afterDot.dropFirst(digits.count)
        guard !digits.isEmpty, !zone.isEmpty,
            let base = try? Date.ISO8601FormatStyle().parse(String(trimmed[..<dot]) + zone)
        else { return nil }
        if digits.count <= 3, let value = Int64(digits.padding(toLength: 3, withPad: "0", startingAt: 0)) {
            let baseMilliseconds = Int64((base.timeIntervalSince1970 * 1000).rounded())
            return Date(timeIntervalSince1970: Double(baseMilliseconds + value) / 1000)
        }
        guard let fraction = Double("0." + digits) else { return nil }
        return Date(timeIntervalSince1970: base.timeIntervalSince1970 + fraction)
    }
}
