import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// Connections that hold the server without finishing a request (slowloris) are closed after the
/// idle timeout; clients that keep connections alive between requests are not disturbed.
@Suite("fake-ecr: idle connections")
struct IdleTimeoutTests {
    static let timeout: Duration = .milliseconds(500)

    static func configuration(idleTimeout: Duration? = timeout) -> FakeECRConfiguration {
        var configuration = FakeECRConfiguration()
        configuration.idleTimeout = idleTimeout
        configuration.adminAPI = AdminAPIAccess()  // the keep-alive test asks /_fake/requests
        return configuration
    }

    @Test("by default a connection may idle 75 s, longer than AsyncHTTPClient's pool keeps one")
    func defaultTimeout() {
        #expect(FakeECRConfiguration().idleTimeout == .seconds(75))
    }

    @Test("a connection that sends nothing is closed after the idle timeout")
    func silentConnectionIsClosed() async throws {
        try await TestFakeECR.with(Self.configuration()) { harness in
            let port = harness.server.port
            let seconds = try await offPool {
                let connection = try RawConnection(port: port)
                return connection.secondsUntilClosed(timeout: 10)
            }
            let closedAfter = try #require(seconds, "still open 10 s after connecting")
            #expect(closedAfter >= 0.3, "closed after \(closedAfter) s, before the idle timeout")
        }
    }

    @Test("200 connections holding half a request line are all closed")
    func slowlorisConnectionsAreClosed() async throws {
        try await TestFakeECR.with(Self.configuration()) { harness in
            let port = harness.server.port
            let closed = try await offPool {
                var connections: [RawConnection] = []
                for number in 0..<200 {
                    let connection = try RawConnection(port: port)
                    try connection.send(number.isMultiple(of: 2) ? "GET /_fake/requ" : "POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                    connections.append(connection)
                }
                return connections.filter { $0.secondsUntilClosed(timeout: 10) != nil }.count
            }
            #expect(closed == 200)
            // And the server still answers.
            #expect(try await harness.ecr("DescribeRepositories").status == 200)
        }
    }

    @Test("a keep-alive connection serves requests spaced below the timeout, then is closed when idle")
    func keepAliveConnectionWorks() async throws {
        // A 2 s timeout and 0.3 s between requests: a loaded machine that answers late still stays well inside it
        // (at 0.5 s against 0.3 s, CI's machine once took longer than the margin and the server rightly closed).
        try await TestFakeECR.with(Self.configuration(idleTimeout: .seconds(2))) { harness in
            let port = harness.server.port
            let (statuses, closedAfter) = try await offPool {
                let connection = try RawConnection(port: port)
                var statuses: [String] = []
                for _ in 0..<14 {
                    statuses.append(try connection.get("/_fake/requests"))
                    Thread.sleep(forTimeInterval: 0.3)  // idle, but far less than the timeout
                }
                return (statuses, connection.secondsUntilClosed(timeout: 20))
            }
            #expect(statuses == Array(repeating: "HTTP/1.1 200 OK", count: 14), "one connection over 4.2 s, more than twice the timeout")
            #expect(closedAfter != nil, "closed once idle")
        }
    }

    @Test("AsyncHTTPClient reconnects when the server closed its pooled connection")
    func pooledClientReconnects() async throws {
        try await TestFakeECR.with(Self.configuration()) { harness in
            for _ in 0..<3 {
                #expect(try await harness.ecr("DescribeRepositories").status == 200)
                // Well past the timeout: the server's close must have reached the pool before the next request.
                // Closer to it (0.8 s against 0.5 s), a loaded machine delivers the close while the pool hands the
                // connection out again, and the request fails with remoteConnectionClosed (seen under load) — the
                // keep-alive race every HTTP client has, which AWS clients meet with their retries.
                try await Task.sleep(for: .seconds(2))
            }
        }
    }

    @Test("no timeout: an idle connection stays open")
    func disabled() async throws {
        try await TestFakeECR.with(Self.configuration(idleTimeout: nil)) { harness in
            let port = harness.server.port
            let seconds = try await offPool { try RawConnection(port: port).secondsUntilClosed(timeout: 1.5) }
            #expect(seconds == nil)
        }
    }

    @Test("fake-ecr serve --idle-timeout sets it")
    func serveOption() async throws {
        let process = try FakeECRProcess(arguments: ["--port", "0", "--idle-timeout", "0.5", "--log-level", "error"])
        defer { process.terminate() }
        try await process.start()
        let port = try #require(URL(string: process.endpoint)?.port)
        let seconds = try await offPool { try RawConnection(port: port).secondsUntilClosed(timeout: 10) }
        #expect(seconds != nil, "still open 10 s after connecting")
    }
}
