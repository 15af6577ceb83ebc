import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// Manifests whose sizes once crashed the fake (found by Fuzz/ fuzz-manifest; the inputs are in
/// Fuzz/Corpus/fuzz-manifest/crash-*.json): sizes are the client's word, and no value of theirs may trap.
@Suite("Manifest sizes out of range")
struct ManifestSizeTests {
    func push(_ fake: TestFakeECR, sizes config: String, _ layers: [String]) async throws -> HTTPAnswer {
        let registry = try await RegistryClient.login(fake)
        let configDigest = try await registry.pushBlob("team/app", Data(#"{"os":"linux"}"#.utf8))
        let layer = try await registry.pushBlob("team/app", Data("layer".utf8))
        let descriptors = layers.map { #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(layer)","size":\#($0)}"# }
        let manifest = #"{"schemaVersion":2,"mediaType":"\#(ociManifestType)","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","size":\#(config)},"layers":[\#(descriptors.joined(separator: ","))]}"#
        return try await registry.send("PUT", "/v2/team/app/manifests/v1", headers: [("Content-Type", ociManifestType)], body: Data(manifest.utf8))
    }

    func imageSize(_ fake: TestFakeECR) async throws -> Int64? {
        let images = try await fake.ecr("DescribeImages", #"{"repositoryName":"team/app"}"#)
        return ((images.json["imageDetails"] as? [[String: Any]])?.first?["imageSizeInBytes"] as? NSNumber)?.int64Value
    }

    @Test("layer sizes that add up beyond Int64.max are stored with the size saturated, not a trap")
    func sumOfSizesSaturates() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"team/app"}"#)
            let answer = try await push(fake, sizes: "\(Int64.max)", ["\(Int64.max)", "1"])
            #expect(answer.status == 201, "\(answer.text)")
            #expect(try await imageSize(fake) == Int64.max)
        }
    }

    @Test("a negative size counts 0: an image's size is never negative")
    func negativeSizesCountZero() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"team/app"}"#)
            let answer = try await push(fake, sizes: "\(Int64.min)", ["-1", "5"])
            #expect(answer.status == 201, "\(answer.text)")
            #expect(try await imageSize(fake) == 5)
        }
    }

    @Test("a size that is no whole number (1e300) is an invalid manifest, and the fake goes on answering")
    func hugeDoubleIsRefused() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"team/app"}"#)
            let answer = try await push(fake, sizes: "1e300", ["7"])
            #expect(answer.status == 400, "\(answer.text)")
            #expect(answer.text.contains("MANIFEST_INVALID"), "\(answer.text)")
            #expect(try await fake.ecr("DescribeRepositories").status == 200)
        }
    }
}
