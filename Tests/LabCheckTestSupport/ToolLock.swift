import Foundation
import Synchronization

/// One user of a tool at a time across every suite of the test run. podman as root keeps caches under
/// /var/lib/containers that two podman processes of parallel tests can trip over (seen once under load);
/// tests that run podman hold `ToolLock.podman` while they do:
///
///     await ToolLock.podman.acquire()
///     defer { ToolLock.podman.release() }
public final class ToolLock: Sendable {
    public static let podman = ToolLock()

    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Waits (without blocking a thread) until the lock is free, then holds it.
    public func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state -> Bool in
                if state.held {
                    state.waiters.append(continuation)
                    return false
                }
                state.held = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    /// Hands the lock to the next waiter, or frees it.
    public func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
