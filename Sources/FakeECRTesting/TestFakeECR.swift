import AsyncHTTPClient
import AWSCore
import ECRWire
import FakeECR
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A fake ECR started in this process on an ephemeral loopback port, for tests: in the style of
/// HummingbirdTesting, `TestFakeECR.with { fake in … }` starts it, hands it to the body with clients
/// that talk to it over real HTTP, and stops it however the body ends.
public struct TestFakeECR: Sendable {
    /// The lab text's own example account and region.
    public static let accountId = "539666729110"
    public static let region = "ap-northeast-1"
    /// AWS's documented example key pair: any key is the default account unless an accounts file says otherwise.
    public static let exampleCredentials = Credentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", source: "test")

    public let server: RunningFakeECR
    /// One HTTP client for the life of the fake (AsyncHTTPClient's shared singleton event loops).
    public let http: HTTPClient

    /// `http://127.0.0.1:PORT`.
    public var endpoint: URL { server.endpoint }
    /// The base URL as text, for raw requests.
    public var base: String { server.endpoint.absoluteString }

    /// The lab's account and region, with the server's logs at warning and above.
    public static func configuration() -> FakeECRConfiguration {
        FakeECRConfiguration(defaultAccountId: accountId, defaultRegion: region)
    }

    /// The lab's account and region with the given CloudTrail behaviour (`--trail-delay`, `--trail-lookup-rate`, …).
    public static func configuration(trail: TrailConfiguration) -> FakeECRConfiguration {
        var configuration = configuration()
        configuration.trail = trail
        return configuration
    }

    /// Starts a fake; prefer `with(_:_:)`, which also stops it.
    public static func start(_ configuration: FakeECRConfiguration = TestFakeECR.configuration()) async throws -> TestFakeECR {
        var configuration = configuration
        if configuration.logger.logLevel < .warning { configuration.logger.logLevel = .warning }
        return TestFakeECR(server: try await FakeECRServer.start(configuration), http: AWSClient.makeHTTPClient())
    }

    /// Runs `body` against a fresh fake and stops it afterwards, whether the body returns or throws.
    public static func with<T: Sendable>(
        _ configuration: FakeECRConfiguration = TestFakeECR.configuration(), _ body: (TestFakeECR) async throws -> T
    ) async throws -> T {
        let fake = try await start(configuration)
        do {
            let value = try await body(fake)
            await fake.stop()
            return value
        } catch {
            await fake.stop()
            throw error
        }
    }

    public func stop() async {
        try? await http.shutdown()
        await server.stop()
    }

    /// LabCheck's own clients for the fake (no retries: a test sees the first answer).
    public func clients(
        _ credentials: Credentials = TestFakeECR.exampleCredentials, region: String = TestFakeECR.region, retryPolicy: RetryPolicy = .none
    ) -> AccountClients {
        AccountClients.fixed(credentials, endpoint: endpoint, region: region, httpClient: http, retryPolicy: retryPolicy)
    }

    /// Replaces every account's state with the state document at `url` (a fixture of `fixtures/states`).
    public func load(stateAt url: URL) async throws {
        try await server.reset()
        try await server.loadState(try StateDocument.parse(try Data(contentsOf: url), file: url.path))
    }

    /// A raw HTTP request to the fake.
    public func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: Data = Data()) async throws -> HTTPAnswer {
        try await Self.send(method, base + path, headers: headers, body: body, using: http)
    }

    /// A raw HTTP request to any URL (a stand-in registry, a `fake-ecr` child process).
    public static func send(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: Data = Data(), using http: HTTPClient = .shared
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        return HTTPAnswer(status: Int(response.status.code), headers: fields, body: Data(bytes.readableBytesView))
    }

    /// An ECR JSON 1.1 call as raw HTTP; with `region`, an (unsigned) credential scope names the
    /// account's key and region, as a client's Authorization header would.
    public func ecr(_ operation: String, _ body: String = "{}", region: String? = nil, accessKey: String = "AKIAIOSFODNN7EXAMPLE") async throws -> HTTPAnswer {
        var headers = [
            ("X-Amz-Target", "\(ECRClient.targetPrefix).\(operation)"),
            ("Content-Type", "application/x-amz-json-1.1"),
        ]
        if let region {
            headers.append((
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(accessKey)/20250101/\(region)/ecr/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
            ))
        }
        return try await send("POST", "/", headers: headers, body: Data(body.utf8))
    }

    /// A CloudTrail LookupEvents call as raw HTTP, scoped (unsigned) to `accessKey`'s account and `region`.
    public func lookupEvents(_ object: [String: Any] = [:], region: String = TestFakeECR.region, accessKey: String = "AKIAIOSFODNN7EXAMPLE") async throws -> HTTPAnswer {
        let headers = [
            ("X-Amz-Target", CloudTrailOperation.lookupEvents.target),
            ("Content-Type", "application/x-amz-json-1.1"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(accessKey)/20250101/\(region)/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"),
        ]
        return try await send("POST", "/", headers: headers, body: try JSONSerialization.data(withJSONObject: object))
    }

    /// An ECR call whose body is a JSON object given as a dictionary.
    public func ecr(_ operation: String, object: [String: Any], region: String? = nil) async throws -> HTTPAnswer {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await ecr(operation, String(decoding: data, as: UTF8.self), region: region)
    }
}

/// An HTTP answer of the fake, with its body read as JSON when it is JSON.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
    public var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
    /// `__type` of an ECR JSON error.
    public var errorType: String? { json["__type"] as? String }
    public var message: String? { json["message"] as? String }
}
