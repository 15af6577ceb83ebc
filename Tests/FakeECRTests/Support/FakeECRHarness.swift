import AsyncHTTPClient
import FakeECR
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// An HTTP answer of the fake, with its body parsed as JSON when it is JSON.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]
    }
    func header(_ name: String) -> String? { headers[name.lowercased()] }
    var errorType: String? { json["__type"] as? String }
    var message: String? { json["message"] as? String }
}

/// Starts a fake in-process on 127.0.0.1:0 and talks to it over real HTTP.
struct FakeECRHarness: Sendable {
    let server: RunningFakeECR
    var base: String { server.endpoint.absoluteString }

    static func start(_ configuration: FakeECRConfiguration = FakeECRConfiguration()) async throws -> FakeECRHarness {
        var configuration = configuration
        configuration.logger.logLevel = .warning
        return FakeECRHarness(server: try await FakeECRServer.start(configuration))
    }

    /// Runs `body` against a fresh fake and stops it afterwards.
    static func with<T: Sendable>(
        _ configuration: FakeECRConfiguration = FakeECRConfiguration(), _ body: (FakeECRHarness) async throws -> T
    ) async throws -> T {
        let harness = try await start(configuration)
        do {
            let value = try await body(harness)
            await harness.server.stop()
            return value
        } catch {
            await harness.server.stop()
            throw error
        }
    }

    /// An ECR JSON 1.1 call; `region` goes into an (unsigned) credential scope.
    func ecr(_ operation: String, _ body: String = "{}", region: String? = nil, accessKey: String = "AKIAIOSFODNN7EXAMPLE") async throws -> HTTPAnswer {
        var headers = [
            ("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.\(operation)"),
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

    /// An ECR call whose body is a JSON object given as a dictionary.
    func ecr(_ operation: String, object: [String: Any], region: String? = nil) async throws -> HTTPAnswer {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await ecr(operation, String(decoding: data, as: UTF8.self), region: region)
    }

    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: Data = Data()) async throws -> HTTPAnswer {
        try await HTTPProbe.send(base: base, method, path, headers: headers, body: body)
    }
}

/// Plain HTTP calls over AsyncHTTPClient.
enum HTTPProbe {
    static func send(base: String, _ method: String, _ path: String, headers: [(String, String)] = [], body: Data = Data()) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: base + path)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        return HTTPAnswer(status: Int(response.status.code), headers: fields, body: Data(bytes.readableBytesView))
    }
}

/// Asserts an answer is the ECR error `type`, as ECR sends it.
func expectECRError(_ answer: HTTPAnswer, _ type: String, messageContains: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(answer.status == (type == "ServerException" ? 500 : 400), "status of \(type): \(answer.text)", sourceLocation: sourceLocation)
    #expect(answer.errorType == type, "__type: \(answer.text)", sourceLocation: sourceLocation)
    #expect(answer.header("x-amzn-ErrorType") == "\(type):", sourceLocation: sourceLocation)
    #expect(answer.header("content-type") == "application/x-amz-json-1.1", sourceLocation: sourceLocation)
    #expect((answer.header("x-amzn-RequestId") ?? "").count == 36, sourceLocation: sourceLocation)
    if let messageContains {
        #expect((answer.message ?? "").contains(messageContains), "message: \(answer.message ?? "nil")", sourceLocation: sourceLocation)
    }
}

/// A tiny OCI image manifest whose config and layer sizes add up to `size`.
func testManifest(seed: String, configSize: Int = 100, layerSize: Int = 1000) -> String {
    let config = String(repeating: "a", count: 64)
    return """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:\(config)","size":\(configSize)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:\(String(repeating: "b", count: 64))","size":\(layerSize)}],"annotations":{"seed":"\(seed)"}}
        """
}
