import AsyncHTTPClient
import FakeECR
import FakeECRTesting
import Foundation
import NIOSSL
import Testing

/// HTTPS with a certificate authority made for the run (`RunCertificateAuthority`, `ServerTLS`), as
/// verify-lab serves the fake and the upstream stand-ins to docker, podman and the AWS CLI.
@Suite("HTTPS with a run's certificate authority")
struct ServerTLSTests {
    static func client(trusting authority: RunCertificateAuthority?) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let authority { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(authority.certificatePEM.utf8))) }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        // A refused handshake is an answer here, not something to retry until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    @Test("the fake serves HTTPS: its endpoint and proxyEndpoint say https, a client trusting the run's CA gets answers, others are refused")
    func fakeServesHTTPS() async throws {
        let authority = try RunCertificateAuthority.make(hosts: ["localhost"])
        var configuration = FakeECRConfiguration()
        configuration.tls = authority.server
        let fake = try await FakeECRServer.start(configuration)
        let trusting = try Self.client(trusting: authority)
        let other = try Self.client(trusting: nil)
        do {
            #expect(fake.endpoint.scheme == "https")
            var request = HTTPClientRequest(url: "https://localhost:\(fake.port)/")
            request.method = .POST
            request.headers.add(name: "X-Amz-Target", value: "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken")
            request.headers.add(name: "Content-Type", value: "application/x-amz-json-1.1")
            request.body = .bytes(Data("{}".utf8))
            let answer = try await trusting.execute(request, timeout: .seconds(30))
            let body = try await answer.body.collect(upTo: 1 << 20)
            #expect(answer.status == .ok, "\(String(buffer: body))")
            let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            let data = (json?["authorizationData"] as? [[String: Any]])?.first
            #expect(data?["proxyEndpoint"] as? String == "https://localhost:\(fake.port)")

            await #expect(throws: (any Error).self) {
                _ = try await other.execute(HTTPClientRequest(url: "https://localhost:\(fake.port)/v2/"), timeout: .seconds(30))
            }
        } catch {
            Issue.record("\(error)")
        }
        try await trusting.shutdown()
        try await other.shutdown()
        await fake.stop()
    }

    @Test("the OCI layout stand-in serves HTTPS with the same certificate")
    func standInServesHTTPS() async throws {
        let authority = try RunCertificateAuthority.make(hosts: ["localhost", "public.ecr.aws"])
        let registry = try await OCILayoutRegistry.start(directory: RegistryFixtures.publicECR, tls: authority.server)
        let trusting = try Self.client(trusting: authority)
        do {
            #expect(registry.endpoint.scheme == "https")
            let ping = try await trusting.execute(HTTPClientRequest(url: "https://localhost:\(registry.port)/v2/"), timeout: .seconds(30))
            #expect(ping.status == .ok)
        } catch {
            Issue.record("\(error)")
        }
        try await trusting.shutdown()
        await registry.stop()
    }
}
