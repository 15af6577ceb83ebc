import DequeModule
import ECRWire
import Foundation

/// How much history one registry (account and region) keeps: CloudTrail's event history holds 90
/// days; the fake also caps the count so that a long-running fake's memory stays bounded.
public struct TrailRetention: Sendable, Equatable {
    /// Records older than this are dropped (90 days, as CloudTrail's event history).
    public var maxAge: TimeInterval
    /// At most this many records per account and region; the oldest are dropped first, one as each
    /// new one comes once the trail is full.
    public var maxRecords: Int

    public init(maxAge: TimeInterval = 90 * 86_400, maxRecords: Int = 100_000) {
        self.maxAge = maxAge
        self.maxRecords = maxRecords
    }

    public static let standard = TrailRetention()
}

extension RegistryState {
    /// Adds `record` in time order (equal times keep the order of arrival) and drops what `retention`
    /// no longer keeps; returns the event ids dropped.
    mutating func appendTrail(_ record: CloudTrailRecord, retention: TrailRetention, now: Date) -> [String] {
        // Past half its cap the trail grows once, to the cap and the record in flight: doubling would
        // leave room for up to twice the cap that a full trail never uses.
        if trail.count >= retention.maxRecords / 2 { trail.reserveCapacity(min(retention.maxRecords, Int.max - 1) + 1) }
        if let last = trail.last, last.eventTime > record.eventTime {
            let index = trail.firstIndex { $0.eventTime > record.eventTime } ?? trail.endIndex
            trail.insert(record, at: index)
        } else {
            trail.append(record)
        }
        return pruneTrail(retention: retention, now: now)
    }

    /// Replaces the trail with `records`, sorted by time (stable), pruned.
    mutating func setTrail(_ records: [CloudTrailRecord], retention: TrailRetention, now: Date) {
        trail = Deque(records.enumerated().sorted { ($0.element.eventTime, $0.offset) < ($1.element.eventTime, $1.offset) }.map(\.element))
        _ = pruneTrail(retention: retention, now: now)
    }

    /// Drops the records older than the retention's age and, past its count, the oldest down to
    /// `maxRecords`. The trail is a deque, so dropping its first records moves none of the rest: as an
    /// array, a full trail (100,000 records) moved them all, holding the store for milliseconds.
    private mutating func pruneTrail(retention: TrailRetention, now: Date) -> [String] {
        let cutoff = now.addingTimeInterval(-retention.maxAge)
        let drop = max(trail.prefix { $0.eventTime < cutoff }.count, trail.count - retention.maxRecords)
        guard drop > 0 else { return [] }
        let dropped = trail.prefix(drop).map(\.eventID)
        trail.removeFirst(drop)
        return dropped
    }
}

extension RegistryStore {
    /// Records one event in `key`'s trail; stored (with `--data-dir`: committed) before this returns.
    public func appendTrail(_ key: RegistryKey, _ record: CloudTrailRecord, retention: TrailRetention = .standard, now: Date = Date()) throws {
        try transaction { registries in
            let dropped = try registries.update(key) { state in state.appendTrail(record, retention: retention, now: now) }
            if registries.storage.keepsWrites { try registries.storage.writeTrail(key, append: [record], remove: dropped) }
        }
    }

    /// The records of `key`'s trail, oldest first.
    public func trail(_ key: RegistryKey) -> Deque<CloudTrailRecord> {
        (try? read(key) { $0.trail }) ?? []
    }

    /// Every registry's trail, by registry (for `GET /_fake/trail`).
    public func trails(accountId: String?, region: String?) -> [(RegistryKey, Deque<CloudTrailRecord>)] {
        allRegistries().filter { state in
            (accountId == nil || state.key.accountId == accountId) && (region == nil || state.key.region == region) && !state.trail.isEmpty
        }.map { ($0.key, $0.trail) }
    }
}
