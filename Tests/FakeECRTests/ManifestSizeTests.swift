import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// Manifests whose sizes once crashed the fake (found by Fuzz/ fuzz-manifest in `ManifestSummary`, the
/// sum by reading the code after it; the inputs are in Fuzz/Corpus/fuzz-manifest/crash-*.json), checked on
/// `ImageManifest`, which replaced it: sizes are the client's word, and no value of theirs may trap.
@Suite("Manifest sizes out of range")
struct ManifestSizeTests {
    /// `"size": 3.2e34` (a Double beyond Int64) trapped in `Int64(_:)`: it counts as no size.
    @Test func sizeBeyondInt64CountsZero() throws {
        let manifest = #"{"scsion":1,"config":{"mediaType":"applf02","size":32222222222222222222222222222222236},"lapers":[{"mze":218}]}"#
        let parsed = try #require(ImageManifest.parse(Data(manifest.utf8)))
        #expect(parsed.sizeInBytes(manifestByteCount: manifest.utf8.count) == 0)
        #expect(try size(#"{"schemaVersion":2,"config":{"size":1e300},"layers":[{"size":7}]}"#) == 7)
        #expect(try size(#"{"schemaVersion":2,"config":{"size":12.9},"layers":[]}"#) == 12)
    }

    /// Layer sizes that add up beyond Int64.max overflowed the sum: it stops at Int64.max.
    @Test func sumOfSizesSaturates() throws {
        let max = Int64.max
        let manifest = #"{"schemaVersion":2,"config":{"size":\#(max)},"layers":[{"size":\#(max)},{"size":1}]}"#
        #expect(try size(manifest) == .max)
    }

    /// A negative size (`-9223371635930000002`, found by fuzz-manifest) is no size: the total is never negative.
    @Test func negativeSizesCountZero() throws {
        let negative = #"{"schemaVersion":2,"config":{"size":\#(Int64.min)},"layers":[{"size":-1},{"size":5}]}"#
        #expect(try size(negative) == 5)
    }

    /// Through the registry: a pushed image manifest whose layer sizes add up beyond Int64.max is stored
    /// with the largest size, not a crash.
    @Test func pushWithAbsurdSizesIsAnswered() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"team/app"}"#)
            let registry = try await RegistryClient.login(fake)
            let config = try await registry.pushBlob("team/app", Data(#"{"os":"linux"}"#.utf8))
            let layer = try await registry.pushBlob("team/app", Data("layer".utf8))
            let manifest = #"{"schemaVersion":2,"mediaType":"\#(ociManifestType)","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(config)","size":14},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(layer)","size":\#(Int64.max)},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(layer)","size":\#(Int64.max)}]}"#
            let answer = try await registry.send("PUT", "/v2/team/app/manifests/v1", headers: [("Content-Type", ociManifestType)], body: Data(manifest.utf8))
            #expect(answer.status == 201, "\(answer.text)")
            let images = try await fake.ecr("DescribeImages", #"{"repositoryName":"team/app"}"#)
            let detail = (images.json["imageDetails"] as? [[String: Any]])?.first
            #expect((detail?["imageSizeInBytes"] as? NSNumber)?.int64Value == Int64.max)
        }
    }

    private func size(_ manifest: String) throws -> Int64 {
        try #require(ImageManifest.parse(Data(manifest.utf8))).sizeInBytes(manifestByteCount: manifest.utf8.count)
    }
}
