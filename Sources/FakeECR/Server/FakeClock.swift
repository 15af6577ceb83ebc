import Foundation
import Synchronization

/// The time lifecycle policies are evaluated at (previews and the evaluation that expires images):
/// the wall clock moved by an offset a test or the admin API sets (`/_fake/clock`), so that "expire
/// after 14 days" can be seen without waiting 14 days. Pushes keep their real time.
public final class FakeClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    public var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the clock forward (or, with a negative interval, back).
    public func advance(by interval: TimeInterval) { offset.withLock { $0 += interval } }

    /// How far the clock is ahead of the wall clock.
    public var currentOffset: TimeInterval { offset.withLock { $0 } }
}
