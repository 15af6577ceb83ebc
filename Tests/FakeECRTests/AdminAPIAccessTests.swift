@testable import FakeECR
import FakeECRTesting
import Foundation
import NIOCore
import Testing

/// The admin API (`/_fake/`) is off unless asked for, answers loopback peers only by default, and
/// under `--auth sigv4` wants its bearer token.
@Suite("Admin API access")
struct AdminAPIAccessTests {
    @Test func offByDefault() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            for (method, path) in [("GET", "/_fake/state"), ("POST", "/_fake/reset"), ("GET", "/_fake/requests")] {
                let answer = try await fake.send(method, path)
                #expect(answer.status == 404, "\(method) \(path)")
                #expect(answer.text.contains("The admin API (/_fake/) is off: start fake-ecr with --admin"), "\(answer.text)")
            }
            // In-process access needs no admin API.
            try await fake.server.reset()
            #expect(await fake.server.exportState().registries.isEmpty)
        }
    }

    @Test func underSigV4ItTakesTheBearerTokenOnly() async throws {
        var configuration = FakeECRConfiguration(accounts: AccountIsolationTests.accounts, authMode: .sigv4)
        configuration.adminAPI = AdminAPIAccess()
        await #expect(throws: FakeECRServerError.self) { _ = try await FakeECRServer.start(configuration) }

        configuration.adminAPI = AdminAPIAccess(token: "admin-token-for-tests")
        try await TestFakeECR.with(configuration) { fake in
            let none = try await fake.send("GET", "/_fake/state")
            #expect(none.status == 401)
            #expect(none.text.contains("Authorization: Bearer <token>"), "\(none.text)")
            let wrong = try await fake.send("POST", "/_fake/reset", headers: [("Authorization", "Bearer guessed")])
            #expect(wrong.status == 403)
            #expect(wrong.text.contains("refused the bearer token"), "\(wrong.text)")
            #expect(!wrong.text.contains("admin-token-for-tests"))
            // A signed request of an account is no admin credential either.
            let signed = try await fake.send("GET", "/_fake/state", headers: [("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAACCOUNTA00000001/20250101/us-east-1/ecr/aws4_request")])
            #expect(signed.status == 401)
            let right = try await fake.send("GET", "/_fake/state", headers: [("Authorization", "Bearer admin-token-for-tests")])
            #expect(right.status == 200, "\(right.text)")
        }
    }

    @Test func loopbackPeersOnlyUnlessAnyIsAllowed() throws {
        let loopback = AdminAPIAccess()
        for address in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            #expect(loopback.refusal(peer: try SocketAddress(ipAddress: address, port: 40000), authorization: nil) == nil, "\(address)")
        }
        let remote = try SocketAddress(ipAddress: "192.0.2.10", port: 40000)
        let refusal = try #require(loopback.refusal(peer: remote, authorization: nil))
        #expect(refusal.status == 403)
        #expect(refusal.message.contains("loopback clients only") && refusal.message.contains("192.0.2.10") && refusal.message.contains("--admin-from any"))
        #expect(loopback.refusal(peer: nil, authorization: nil)?.status == 403)
        #expect(AdminAPIAccess(peers: .any).refusal(peer: remote, authorization: nil) == nil)
    }
}
