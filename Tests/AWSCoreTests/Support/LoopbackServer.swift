import FakeECR
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A Hummingbird app on 127.0.0.1 and an ephemeral port, for tests that need a real HTTP peer.
/// Build the routes in `configure`; `stop()` when done.
final class LoopbackServer: Sendable {
    private let service: ListeningService
    var port: Int { service.port }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(service: ListeningService) {
        self.service = service
    }

    static func start(_ configure: (Router<BasicRequestContext>) -> Void) async throws -> LoopbackServer {
        let router = Router()
        configure(router)
        let service = try await ListeningService.start("loopback server", logger: Logger(label: "loopback-server")) { onPort in
            Application(
                router: router,
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in onPort(channel.localAddress?.port ?? 0) })
        }
        return LoopbackServer(service: service)
    }

    /// Stops gracefully.
    func stop() async { await service.stop() }
}
