import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird application running in this process in its own service group: started and
/// waited for until it listens, then stopped gracefully. Shared by the fake, the stand-ins and the
/// tests' own loopback servers.
///
/// Never stop such an application by cancelling the task that runs it: connections the server has
/// accepted but not yet handed out are then dropped unfinished, and NIO traps ("Deinited
/// NIOAsyncWriter without calling finish()", apple/swift-nio#3481; seen here in a test run).
public struct ListeningService: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Runs the application that `make` builds (handing it the callback that reports the bound
    /// port) and returns once it listens; `what` names it in the error when it cannot.
    public static func start<App: ApplicationProtocol>(
        _ what: String, logger: Logger, make: (_ onPort: @escaping @Sendable (Int) -> Void) -> App
    ) async throws -> ListeningService {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = make { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            let reason = if case .failure(let error) = await task.result { ": \(error)" } else { "" }
            throw FakeECRServerError("\(what) could not listen\(reason)")
        }
        return ListeningService(port: port, group: group, task: task)
    }

    /// Stops listening and waits for the application to end.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
