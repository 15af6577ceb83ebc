import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A loopback HTTP server on an ephemeral port that answers POST / from a script of replies
/// (the last one repeats) and records when each request arrived.
final class ScriptedServer: Sendable {
    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: [String: String] = [:]
        var body: String
        /// How long to wait before answering (timeout tests).
        var delay: TimeInterval = 0
    }

    private let script: Script
    private let task: Task<Void, any Error>
    let port: Int

    var requestCount: Int { script.arrivals.count }
    var arrivalTimes: [Date] { script.arrivals }
    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/") }

    private init(script: Script, task: Task<Void, any Error>, port: Int) {
        self.script = script
        self.task = task
        self.port = port
    }

    /// Starts the server; `stop()` it when done.
    static func start(replies: [Reply]) async throws -> ScriptedServer {
        let script = Script(replies: replies)
        let router = Router()
        router.post("/") { _, _ -> Response in
            let reply = script.next()
            if reply.delay > 0 { try await Task.sleep(nanoseconds: UInt64(reply.delay * 1_000_000_000)) }
            var fields = HTTPFields()
            for (name, value) in reply.headers {
                if let field = HTTPField.Name(name) { fields[field] = value }
            }
            return Response(status: reply.status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: reply.body)))
        }
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }
        )
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        return ScriptedServer(script: script, task: task, port: port)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// The replies and the arrival log, shared with the route handler.
private final class Script: Sendable {
    private let state: Mutex<(index: Int, arrivals: [Date])> = Mutex((0, []))
    private let replies: [ScriptedServer.Reply]

    init(replies: [ScriptedServer.Reply]) { self.replies = replies }

    var arrivals: [Date] { state.withLock { $0.arrivals } }

    func next() -> ScriptedServer.Reply {
        state.withLock { state in
            state.arrivals.append(Date())
            let reply = replies[min(state.index, replies.count - 1)]
            state.index += 1
            return reply
        }
    }
}
