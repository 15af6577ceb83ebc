import Crypto
import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// A registry client over HTTP with the `AWS:<password>` of GetAuthorizationToken.
struct RegistryClient: Sendable {
    let fake: TestFakeECR
    let password: String

    var host: String { "127.0.0.1:\(fake.server.port)" }
    var authorization: (String, String) { ("Authorization", "Basic " + Data("AWS:\(password)".utf8).base64EncodedString()) }

    /// Logs in as `aws ecr get-login-password` does.
    static func login(_ fake: TestFakeECR, region: String? = nil) async throws -> RegistryClient {
        RegistryClient(fake: fake, password: try await password(fake, region: region))
    }

    static func password(_ fake: TestFakeECR, region: String? = nil) async throws -> String {
        let answer = try await fake.ecr("GetAuthorizationToken", region: region)
        let data = try #require((answer.json["authorizationData"] as? [[String: Any]])?.first)
        let token = try #require(data["authorizationToken"] as? String)
        let decoded = String(decoding: try #require(Data(base64Encoded: token)), as: UTF8.self)
        #expect(decoded.hasPrefix("AWS:"))
        return String(decoded.dropFirst(4))
    }

    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: Data = Data()) async throws -> HTTPAnswer {
        try await fake.send(method, path, headers: [authorization] + headers, body: body)
    }

    /// Uploads a blob monolithically; returns its digest.
    @discardableResult
    func pushBlob(_ repository: String, _ data: Data) async throws -> String {
        let digest = sha256(data)
        let answer = try await send("POST", "/v2/\(repository)/blobs/uploads/?digest=\(digest)", body: data)
        #expect(answer.status == 201, "blob upload: \(answer.text)")
        return digest
    }

    /// Pushes a one-layer OCI image; returns the manifest text and digest.
    func pushImage(_ repository: String, tag: String, seed: String) async throws -> (manifest: String, digest: String, size: Int) {
        let config = Data(#"{"architecture":"amd64","os":"linux","seed":"\#(seed)"}"#.utf8)
        let layer = Data("layer of \(seed)".utf8)
        let configDigest = try await pushBlob(repository, config)
        let layerDigest = try await pushBlob(repository, layer)
        let manifest = ociManifest(config: (configDigest, config.count), layers: [(layerDigest, layer.count)])
        let answer = try await send("PUT", "/v2/\(repository)/manifests/\(tag)", headers: [("Content-Type", ociManifestType)], body: Data(manifest.utf8))
        #expect(answer.status == 201, "manifest push: \(answer.text)")
        return (manifest, sha256(Data(manifest.utf8)), config.count + layer.count)
    }
}

let ociManifestType = "application/vnd.oci.image.manifest.v1+json"
let ociIndexType = "application/vnd.oci.image.index.v1+json"
let dockerManifestType = "application/vnd.docker.distribution.manifest.v2+json"
let dockerListType = "application/vnd.docker.distribution.manifest.list.v2+json"

func sha256(_ data: Data) -> String {
    "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

func ociManifest(config: (String, Int), layers: [(String, Int)], mediaType: String? = ociManifestType) -> String {
    let layerText = layers.map { #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#($0.0)","size":\#($0.1)}"# }
    let typeField = mediaType.map { #""mediaType":"\#($0)","# } ?? ""
    return #"{"schemaVersion":2,\#(typeField)"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(config.0)","size":\#(config.1)},"layers":[\#(layerText.joined(separator: ","))]}"#
}

/// The first OCI error of a registry answer.
func registryError(_ answer: HTTPAnswer) -> (code: String?, message: String?) {
    let first = (answer.json["errors"] as? [[String: Any]])?.first
    return (first?["code"] as? String, first?["message"] as? String)
}

func expectRegistryError(
    _ answer: HTTPAnswer, _ status: Int, _ code: String, messageContains: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(answer.status == status, "status: \(answer.text)", sourceLocation: sourceLocation)
    let error = registryError(answer)
    #expect(error.code == code, "code: \(answer.text)", sourceLocation: sourceLocation)
    #expect(answer.header("Docker-Distribution-Api-Version") == "registry/2.0", sourceLocation: sourceLocation)
    #expect(answer.header("Content-Type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    if let messageContains {
        #expect((error.message ?? "").contains(messageContains), "message: \(error.message ?? "nil")", sourceLocation: sourceLocation)
    }
}

/// Paths of the committed fixtures.
enum RegistryFixtures {
    static var upstream: URL { FakeECRProcess.packageRoot.appendingPathComponent("fixtures/upstream") }
    static var publicECR: URL { upstream.appendingPathComponent("public.ecr.aws") }
    static var k8s: URL { upstream.appendingPathComponent("registry.k8s.io") }

    /// `host/path:tag` → digest, from DIGESTS.txt (platform lines skipped).
    static func digests() throws -> [String: String] {
        let text = try String(contentsOf: upstream.appendingPathComponent("DIGESTS.txt"), encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            // `<image> <digest>`, or `<image> <platform> <digest>` for an index's platform images.
            if parts.count >= 2 { result[parts.dropLast().joined(separator: " ")] = String(parts[parts.count - 1]) }
        }
        return result
    }
}
