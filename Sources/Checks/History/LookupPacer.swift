import ECRWire
import Foundation

/// Spaces LookupEvents requests to at most `requestsPerSecond` (CloudTrail's quota per account and
/// region: 2). One pacer per graded account: accounts are graded concurrently, each within its quota.
public actor LookupPacer {
    private let interval: Duration
    private var nextSlot: ContinuousClock.Instant?
    private let clock = ContinuousClock()

    public init(requestsPerSecond: Int = CloudTrailClient.lookupRequestsPerSecond) {
        self.interval = .seconds(1) / max(1, requestsPerSecond)
    }

    /// Waits for this request's slot. The slot is reserved before waiting, so concurrent callers queue.
    public func wait() async throws {
        let now = clock.now
        let slot = max(now, nextSlot ?? now)
        nextSlot = slot + interval
        if slot > now { try await Task.sleep(until: slot, clock: clock) }
    }
}
