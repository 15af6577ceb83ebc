import FakeECR
import Foundation
import HTTPTypes
import Hummingbird
import Logging
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
    private let service: ListeningService
    var port: Int { service.port }

    var requestCount: Int { script.arrivals.count }
    var arrivalTimes: [Date] { script.arrivals }
    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/") }

    private init(script: Script, service: ListeningService) {
        self.script = script
        self.service = service
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
        let service = try await ListeningService.start("scripted server", logger: Logger(label: "scripted-server")) { onPort in
            Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in onPort(channel.localAddress?.port ?? 0) })
        }
        return ScriptedServer(script: script, service: service)
    }

    /// Stops gracefully (an answer being delayed is still sent).
    func stop() async { await service.stop() }
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
