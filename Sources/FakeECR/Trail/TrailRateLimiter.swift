import Foundation
import Synchronization

/// LookupEvents' limit per account and region: a token bucket holding at most `rate` tokens (the
/// burst), refilled at `rate` per second; a call without a token is throttled. Rate 0: unlimited.
final class TrailRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let rate: Double
    private let buckets = Mutex<[RegistryKey: Bucket]>([:])

    init(rate: Double) { self.rate = rate }

    /// Takes a token of `key`'s bucket; false when it is empty.
    func take(_ key: RegistryKey, now: Date) -> Bool {
        guard rate > 0 else { return true }
        let burst = max(1, rate)
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            return allowed
        }
    }
}
