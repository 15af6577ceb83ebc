import FakeECRTesting
import Foundation
import Testing

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

/// The config and layer of `testManifest(configSize:layerSize:)`: bytes of those sizes.
func testBlobs(configSize: Int = 100, layerSize: Int = 1000) -> (config: Data, layer: Data) {
    (Data(repeating: UInt8(ascii: "c"), count: configSize), Data(repeating: UInt8(ascii: "l"), count: layerSize))
}

/// A tiny OCI image manifest whose config and layer sizes add up to `size`; its blobs are
/// `testBlobs(configSize:layerSize:)`, which PutImage needs uploaded first (`uploadTestBlobs`).
func testManifest(seed: String, configSize: Int = 100, layerSize: Int = 1000) -> String {
    let blobs = testBlobs(configSize: configSize, layerSize: layerSize)
    return """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(sha256(blobs.config))","size":\(configSize)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\(sha256(blobs.layer))","size":\(layerSize)}],"annotations":{"seed":"\(seed)"}}
        """
}

extension TestFakeECR {
    /// Uploads the blobs of `testManifest` to `repository` over `/v2/`, as a client pushing an
    /// image does before PutImage (which refuses layers the repository has not seen).
    func uploadTestBlobs(to repository: String, configSize: Int = 100, layerSize: Int = 1000) async throws {
        let registry = try await RegistryClient.login(self)
        let blobs = testBlobs(configSize: configSize, layerSize: layerSize)
        try await registry.pushBlob(repository, blobs.config)
        try await registry.pushBlob(repository, blobs.layer)
    }
}
