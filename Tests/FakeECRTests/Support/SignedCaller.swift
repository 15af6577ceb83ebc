import AWSCore
import FakeECRTesting
import Foundation
import Testing

/// One principal's SigV4-signed calls to a fake started with `--auth sigv4`: ECR JSON, STS, and the
/// registry (`/v2/`) with the password its GetAuthorizationToken returns.
struct SignedCaller: Sendable {
    let fake: TestFakeECR
    let credentials: Credentials
    var region = "ap-northeast-1"

    init(_ fake: TestFakeECR, key: String, secret: String, sessionToken: String? = nil) {
        self.fake = fake
        credentials = Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: sessionToken)
    }

    private func signed(service: String, headers: [(String, String)], body: Data) async throws -> HTTPAnswer {
        let host = "127.0.0.1:\(fake.server.port)"
        let request = SignableRequest(
            method: "POST", path: "/", headers: [HTTPHeaderField(name: "Host", value: host)] + headers.map { HTTPHeaderField(name: $0.0, value: $0.1) },
            body: body)
        let signed = SigV4Signer(credentials: credentials, region: region, service: service).sign(request, date: Date())
        return try await fake.send("POST", "/", headers: signed.headers.filter { $0.name.lowercased() != "host" }.map { ($0.name, $0.value) }, body: signed.body)
    }

    func ecr(_ operation: String, _ object: [String: Any] = [:]) async throws -> HTTPAnswer {
        try await signed(
            service: "ecr",
            headers: [("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.\(operation)"), ("Content-Type", "application/x-amz-json-1.1")],
            body: try JSONSerialization.data(withJSONObject: object))
    }

    /// CloudTrail LookupEvents, signed for `cloudtrail`.
    func lookupEvents(_ object: [String: Any] = [:]) async throws -> HTTPAnswer {
        try await signed(
            service: "cloudtrail",
            headers: [("X-Amz-Target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"), ("Content-Type", "application/x-amz-json-1.1")],
            body: try JSONSerialization.data(withJSONObject: object))
    }

    func sts(_ form: String) async throws -> HTTPAnswer {
        try await signed(service: "sts", headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: Data(form.utf8))
    }

    /// A registry client logged in with the password GetAuthorizationToken gives for `registryId`
    /// (the caller's own registry when nil).
    func registry(for registryId: String? = nil) async throws -> RegistryClient {
        let answer = try await ecr("GetAuthorizationToken", registryId.map { ["registryIds": [$0]] } ?? [:])
        #expect(answer.status == 200, "GetAuthorizationToken: \(answer.text)")
        let data = try #require((answer.json["authorizationData"] as? [[String: Any]])?.first)
        let token = try #require(data["authorizationToken"] as? String)
        let decoded = String(decoding: try #require(Data(base64Encoded: token)), as: UTF8.self)
        return RegistryClient(fake: fake, password: String(decoded.dropFirst("AWS:".count)))
    }
}
