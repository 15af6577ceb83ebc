import Foundation

/// Which part of the account's CloudTrail history a grading reads: from `since` (a duration back from
/// now, or a date) to now. CloudTrail's event history keeps 90 days, the default.
public struct HistoryWindow: Sendable, Hashable {
    /// CloudTrail's event history keeps 90 days of management events.
    public static let defaultLookback: TimeInterval = 90 * 86_400
    /// Events arrive about 5 minutes after the call (CloudTrail's documented average, not a guarantee).
    public static let deliveryLag: TimeInterval = 5 * 60

    public enum Since: Sendable, Hashable {
        case duration(TimeInterval)
        case date(Date)
    }

    public var since: Since

    public init(since: Since = .duration(Self.defaultLookback)) {
        self.since = since
    }

    /// The first instant read, for a grading made at `now`.
    public func start(now: Date) -> Date {
        switch since {
        case .duration(let seconds): now.addingTimeInterval(-seconds)
        case .date(let date): date
        }
    }

    /// `--since`: a duration (`90d`, `36h`, `45m`, `2w`, `600s`) or an ISO 8601 date (`2026-11-30`) or time
    /// (`2026-11-30T09:00:00Z`). Nil when the text is neither.
    public init?(parsing text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let unit = text.last, let factor = Self.units[unit], let count = Double(text.dropLast()), count >= 0, count.isFinite {
            self.init(since: .duration(count * factor))
            return
        }
        if let date = ISO8601Text.dateTime(text) ?? ISO8601Text.day(text) {
            self.init(since: .date(date))
            return
        }
        return nil
    }

    private static let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 7 * 86_400]
}
