import AWSCore
import AsyncHTTPClient
import Foundation
import Testing

@Suite("IMDS: instance role credentials over IMDSv2", .serialized)
struct IMDSCredentialTests {
    static func environment(_ standIn: IMDSStandIn) -> [String: String] {
        ["AWS_EC2_METADATA_SERVICE_ENDPOINT": standIn.endpoint]
    }

    /// The IMDS client with a generous per-attempt timeout: the counts these tests assert would change if a
    /// busy machine (the whole suite runs in parallel) pushed an answer past the default 1 s and caused a retry.
    static func patientClient(_ standIn: IMDSStandIn, now: @escaping @Sendable () -> Date) -> IMDSClient {
        IMDSClient(httpClient: HTTPClient.shared, environment: environment(standIn), timeout: .seconds(10), now: now)
    }

    @Test("token first, then role name and credentials with the token; cached while valid")
    func fetchesWithToken() async throws {
        let standIn = try await IMDSStandIn.start()
        let clock = TestClock(Date())
        let provider = CachingCredentialProvider(IMDSCredentialProvider(client: Self.patientClient(standIn, now: clock.function)), now: clock.function)
        let credentials = try await provider.credentials()
        let expected = standIn.snapshot
        #expect(credentials.accessKeyId == expected.accessKeyId)
        #expect(credentials.secretAccessKey == expected.secretAccessKey)
        #expect(credentials.sessionToken == expected.sessionToken)
        #expect(credentials.source == "imds:lab-instance-role")
        #expect(abs((credentials.expiration ?? .distantPast).timeIntervalSince(expected.expiration)) < 1)
        _ = try await provider.credentials()
        let state = standIn.snapshot
        #expect(state.tokenRequests == 1)
        #expect(state.credentialRequests == 1)
        #expect(state.unauthorized == 0)
        #expect(state.paths == ["/latest/meta-data/iam/security-credentials/", "/latest/meta-data/iam/security-credentials/lab-instance-role"])
        await standIn.stop()
    }

    @Test("the stand-in refuses requests without a token (401)")
    func tokenRequired() async throws {
        let standIn = try await IMDSStandIn.start()
        var request = HTTPClientRequest(url: standIn.endpoint + "/latest/meta-data/iam/security-credentials/")
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        #expect(response.status.code == 401)
        #expect(standIn.snapshot.unauthorized == 1)
        await standIn.stop()
    }

    @Test("credentials near expiry are fetched again; the token is reused")
    func refreshBeforeExpiry() async throws {
        let standIn = try await IMDSStandIn.start()
        let clock = TestClock(Date())
        standIn.update { $0.expiration = clock.now.addingTimeInterval(3600) }
        let provider = CachingCredentialProvider(IMDSCredentialProvider(client: Self.patientClient(standIn, now: clock.function)), now: clock.function)
        _ = try await provider.credentials()
        standIn.update {
            $0.accessKeyId = "ASIAIMDSEXAMPLE00002"
            $0.expiration = clock.now.addingTimeInterval(7200)
        }
        clock.advance(3600 - 10 * 60)
        #expect(try await provider.credentials().accessKeyId == "ASIAIMDSEXAMPLE00001")
        clock.advance(6 * 60)  // 4 minutes before expiry
        #expect(try await provider.credentials().accessKeyId == "ASIAIMDSEXAMPLE00002")
        #expect(standIn.snapshot.credentialRequests == 2)
        #expect(standIn.snapshot.tokenRequests == 1)
        await standIn.stop()
    }

    @Test("a 401 (expired token) fetches a new token and retries")
    func expiredToken() async throws {
        let standIn = try await IMDSStandIn.start()
        let clock = TestClock(Date())
        standIn.update { $0.expiration = clock.now.addingTimeInterval(600) }
        let provider = CachingCredentialProvider(IMDSCredentialProvider(client: Self.patientClient(standIn, now: clock.function)), now: clock.function)
        _ = try await provider.credentials()
        standIn.expireTokens()
        clock.advance(400)  // credentials within 5 minutes of expiry; token still thought valid
        _ = try await provider.credentials()
        let state = standIn.snapshot
        #expect(state.unauthorized == 1)
        #expect(state.tokenRequests == 2)
        #expect(state.credentialRequests == 2)
        await standIn.stop()
    }

    @Test("AWS_EC2_METADATA_DISABLED=true sends nothing")
    func disabled() async throws {
        let standIn = try await IMDSStandIn.start()
        var environment = Self.environment(standIn)
        environment["AWS_EC2_METADATA_DISABLED"] = "TRUE"
        let provider = IMDSCredentialProvider(httpClient: HTTPClient.shared, environment: environment)
        await #expect(throws: CredentialProviderError.notFound(provider: "imds", reason: "disabled by AWS_EC2_METADATA_DISABLED")) {
            try await provider.credentials()
        }
        #expect(standIn.snapshot.tokenRequests == 0)
        #expect(standIn.snapshot.paths.isEmpty)
        await standIn.stop()
    }

    @Test("nothing listening is notFound after one retry, naming the endpoint")
    func unreachable() async throws {
        let client = IMDSClient(httpClient: HTTPClient.shared, environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1"])
        let provider = IMDSCredentialProvider(client: client)
        let error = await #expect(throws: CredentialProviderError.self) { try await provider.credentials() }
        guard case .notFound(_, let reason)? = error else {
            Issue.record("expected .notFound, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("http://127.0.0.1:1"))
        #expect(reason.contains("2 attempt(s)"))
        #expect(await client.requestCount == 2)
    }

    @Test("an invalid AWS_EC2_METADATA_SERVICE_ENDPOINT is an error naming the variable")
    func invalidEndpoint() async throws {
        let provider = IMDSCredentialProvider(httpClient: HTTPClient.shared, environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "not a url"])
        let error = await #expect(throws: CredentialProviderError.self) { try await provider.credentials() }
        #expect(error.map { "\($0)" }?.contains("AWS_EC2_METADATA_SERVICE_ENDPOINT") == true)
    }

    @Test("the default chain reaches IMDS last, through AWS_EC2_METADATA_SERVICE_ENDPOINT")
    func chainUsesIMDS() async throws {
        let standIn = try await IMDSStandIn.start()
        let home = try TempHome()
        defer { home.remove() }
        var environment = home.environment(Self.environment(standIn))
        environment["AWS_EC2_METADATA_DISABLED"] = nil
        let chain = DefaultCredentialChain.make(
            profile: nil, environment: environment, config: try home.load(environment),
            imds: IMDSCredentialProvider(client: Self.patientClient(standIn, now: { Date() })), roleAssumer: nil)
        #expect(try await chain.credentials().accessKeyId == "ASIAIMDSEXAMPLE00001")
        _ = try await chain.credentials()
        #expect(standIn.snapshot.credentialRequests == 1)
        await standIn.stop()
    }
}
