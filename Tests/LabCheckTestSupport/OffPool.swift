import Foundation

/// Runs blocking work (waiting for a child process, reading its pipes) on a thread of its own, so it
/// never holds one of the few threads of Swift's cooperative pool: on a 2-core machine two blocked
/// tests would otherwise stall every in-process server of the whole parallel test run.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
