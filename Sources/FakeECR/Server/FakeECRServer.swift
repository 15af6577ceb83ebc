import ECRWire
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Starting a fake ECR: in-process for tests and `labcheck demo`, or blocking for the CLI.
public enum FakeECRServer {
    /// Starts a server and returns once it listens. Stop it with `RunningFakeECR.stop()`.
    public static func start(_ configuration: FakeECRConfiguration) async throws -> RunningFakeECR {
        let app = try FakeECRApp(configuration: configuration)
        try await app.seed()
        let server = try ServerTLS.builder(http1(app), tls: configuration.tls)
        let service = try await ListeningService.start("fake-ecr on \(configuration.host):\(configuration.port)", logger: app.logger) { onPort in
            makeApplication(app, server: server, onPort: onPort)
        }
        return RunningFakeECR(app: app, host: configuration.host, scheme: ServerTLS.scheme(configuration.tls), service: service)
    }

    /// Serves until SIGINT or SIGTERM; `onListening` gets the URL once the port is bound.
    public static func run(_ configuration: FakeECRConfiguration, onListening: @escaping @Sendable (URL) -> Void) async throws {
        let app = try FakeECRApp(configuration: configuration)
        try await app.seed()
        let host = configuration.host
        let scheme = ServerTLS.scheme(configuration.tls)
        let application = makeApplication(app, server: try ServerTLS.builder(http1(app), tls: configuration.tls)) { port in
            if let url = URL(string: "\(scheme)://\(Self.urlHost(host)):\(port)") { onListening(url) }
        }
        try await application.runService()
    }

    static func http1(_ app: FakeECRApp) -> HTTPServerBuilder {
        .http1(configuration: .init(idleTimeout: app.configuration.idleTimeout.map(TimeAmount.init)))
    }

    static func makeApplication(_ app: FakeECRApp, server: HTTPServerBuilder, onPort: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        Application(
            responder: FakeECRResponder(app: app),
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(app.configuration.host, port: app.configuration.port), serverName: nil),
            onServerRunning: { channel in onPort(channel.localAddress?.port ?? app.configuration.port) },
            logger: app.logger)
    }

    static func urlHost(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}

/// Why the server did not start.
public struct FakeECRServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A fake ECR running in this process.
public final class RunningFakeECR: Sendable {
    let app: FakeECRApp
    private let service: ListeningService
    public let host: String
    /// `https` when it serves TLS (`FakeECRConfiguration.tls`), else `http`.
    public let scheme: String
    public var port: Int { service.port }

    init(app: FakeECRApp, host: String, scheme: String, service: ListeningService) {
        self.app = app
        self.host = host
        self.scheme = scheme
        self.service = service
    }

    /// `http://127.0.0.1:PORT`: the endpoint for AWS_ENDPOINT_URL, the SDKs and the registry.
    public var endpoint: URL {
        URL(string: "\(scheme)://\(FakeECRServer.urlHost(host)):\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// Stops listening and waits for the server to end.
    public func stop() async { await service.stop() }

    /// Empties every registry (the admin API's `POST /_fake/reset`).
    public func reset() async throws { try app.store.replaceAll([]) }

    /// The whole state (the admin API's `GET /_fake/state`).
    public func exportState() async -> StateDocument { StateDocument(states: app.store.allRegistries()) }

    /// Replaces the whole state (the admin API's `PUT /_fake/state`).
    public func loadState(_ document: StateDocument) async throws {
        let states = try document.states(file: "loadState", defaults: app.configuration.defaultRegistry)
        try app.store.replaceAll(states)
    }

    /// The CloudTrail records of one account and region, oldest first (the admin API's `GET /_fake/trail`).
    public func trail(accountId: String, region: String) async -> [CloudTrailRecord] {
        Array(app.store.trail(RegistryKey(accountId: accountId, region: region)))
    }

    /// The clock lifecycle policies are evaluated at (move it with `advance(by:)`).
    public var clock: FakeClock { app.clock }

    /// Evaluates every repository's lifecycle policy now (the admin API's `POST /_fake/lifecycle/evaluate`).
    public func evaluateLifecyclePolicies() async throws -> [LifecycleRun] { try await app.lifecycle.evaluate() }

    /// Requests answered per operation, e.g. `["ecr:DescribeRepositories": 3]`.
    public func requestCounts() async -> [String: Int] { app.counters.totals() }
    /// The same, per account id.
    public func requestCountsByAccount() async -> [String: [String: Int]] { app.counters.countsByAccount() }
    public func resetRequestCounts() async { app.counters.reset() }

    /// Checks a registry password from GetAuthorizationToken (for the registry data plane).
    public func verifyRegistryPassword(_ password: String) -> RegistryPasswordCodec.Grant? {
        app.passwords.verify(password: password)
    }
}
