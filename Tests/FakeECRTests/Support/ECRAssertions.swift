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

/// A tiny OCI image manifest whose config and layer sizes add up to `size`.
func testManifest(seed: String, configSize: Int = 100, layerSize: Int = 1000) -> String {
    let config = String(repeating: "a", count: 64)
    return """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:\(config)","size":\(configSize)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:\(String(repeating: "b", count: 64))","size":\(layerSize)}],"annotations":{"seed":"\(seed)"}}
        """
}
