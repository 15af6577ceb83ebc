import Foundation

/// Polls `condition` every `interval` until it holds or `timeout` passes; whether it held. For tests
/// that wait on another process: a deadline instead of a fixed sleep, so a busy machine only waits longer.
public func eventually(timeout: TimeInterval = 30, interval: Duration = .milliseconds(25), _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if condition() { return true }
        if Date() >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}

/// `eventually` for blocking code on a thread of its own (`offPool`).
public func eventuallyBlocking(timeout: TimeInterval = 30, interval: useconds_t = 25_000, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if condition() { return true }
        if Date() >= deadline { return false }
        usleep(interval)
    }
}
