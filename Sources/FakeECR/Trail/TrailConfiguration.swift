import Foundation

/// How the fake's CloudTrail behaves (`fake-ecr serve --trail-…`).
public struct TrailConfiguration: Sendable, Equatable {
    /// LookupEvents returns only records at least this old (`--trail-delay 5m`): CloudTrail delivers
    /// events about 5 minutes after the call. 0: at once.
    public var delay: TimeInterval
    /// LookupEvents calls allowed per second per account and region (`--trail-lookup-rate`), as a
    /// token bucket with a burst of the same size; above it ThrottlingException. 0: unlimited.
    public var lookupRate: Double
    /// Whether the repository a pull through the cache creates gets its own `CreateRepository`
    /// record (by `ecr.amazonaws.com` as an AWS service), which AWS does not document either way.
    public var cacheRepositoryEvents: Bool
    public var retention: TrailRetention

    /// AWS's documented LookupEvents limit: two per second, per account, per Region.
    public static let awsLookupRate = 2.0

    public init(delay: TimeInterval = 0, lookupRate: Double = TrailConfiguration.awsLookupRate, cacheRepositoryEvents: Bool = true, retention: TrailRetention = .standard) {
        self.delay = delay
        self.lookupRate = lookupRate
        self.cacheRepositoryEvents = cacheRepositoryEvents
        self.retention = retention
    }

    /// A duration as `--trail-delay` takes it: `300`, `30s`, `5m`, `1h`, `90d`; nil when it is not one.
    public static func duration(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var number = Substring(text)
        var unit = 1.0
        if let last = text.last, let factor = units[last] {
            number = text.dropLast()
            unit = factor
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value * unit
    }
}
