import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// Blob GETs with one `Range` as S3 (which serves ECR's layers) answers them, tag reads by ECR's tag
/// grammar, and an index's imageSizeInBytes (the largest of its images, as the model documents).
@Suite("Blob ranges, tag grammar and index sizes")
struct BlobRangeTests {
    static let bytes = Data((0..<200).map { UInt8($0) })

    /// Ranges of a blob in memory and of one in a data directory (streamed from its file).
    @Test(arguments: [false, true])
    func rangesAnswer206WithTheBytesAnd416BeyondTheEnd(onDisk: Bool) async throws {
        var configuration = TestFakeECR.configuration()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ranges-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        if onDisk { configuration.dataDirectory = directory }
        try await TestFakeECR.with(configuration) { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "team/app"])
            let registry = try await RegistryClient.login(fake)
            let digest = try await registry.pushBlob("team/app", Self.bytes)
            let path = "/v2/team/app/blobs/\(digest)"

            let whole = try await registry.send("GET", path)
            #expect(whole.status == 200 && whole.body == Self.bytes)
            #expect(whole.header("Accept-Ranges") == "bytes")
            for (header, first, last) in [("bytes=10-19", 10, 19), ("bytes=190-", 190, 199), ("bytes=-5", 195, 199), ("bytes=150-999", 150, 199)] {
                let part = try await registry.send("GET", path, headers: [("Range", header)])
                #expect(part.status == 206, "\(header): \(part.status)")
                #expect(part.body == Self.bytes.subdata(in: first..<(last + 1)), "\(header)")
                #expect(part.header("Content-Range") == "bytes \(first)-\(last)/200", "\(header)")
                #expect(part.header("Content-Length") == String(last - first + 1), "\(header)")
                #expect(part.header("Docker-Content-Digest") == digest)
            }
            let beyond = try await registry.send("GET", path, headers: [("Range", "bytes=200-")])
            #expect(beyond.status == 416)
            #expect(beyond.header("Content-Range") == "bytes */200")
            // What S3 ignores (several ranges, another unit, nonsense) is the whole blob.
            for header in ["bytes=0-1,5-6", "items=0-1", "bytes=x-y", "bytes=9-3"] {
                let ignored = try await registry.send("GET", path, headers: [("Range", header)])
                #expect(ignored.status == 200 && ignored.body == Self.bytes, "\(header)")
            }
            // A HEAD answers the whole size whatever the range.
            let head = try await registry.send("HEAD", path, headers: [("Range", "bytes=0-9")])
            #expect(head.status == 200 && head.header("Content-Length") == "200")
        }
    }

    @Test func aWellFormedAbsentTagIsNotFoundAndAMalformedOneIsInvalid() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "team/app"])
            let registry = try await RegistryClient.login(fake)
            // ECR's tag grammar `[a-zA-Z0-9-_.]+` admits these: a read finds nothing there.
            for tag in [".INVALID_MANIFEST_NAME", "-dash", "v1"] {
                expectRegistryError(try await registry.send("GET", "/v2/team/app/manifests/\(tag)"), 404, "MANIFEST_UNKNOWN")
                #expect(try await registry.send("HEAD", "/v2/team/app/manifests/\(tag)").status == 404)
                expectRegistryError(try await registry.send("DELETE", "/v2/team/app/manifests/\(tag)"), 404, "MANIFEST_UNKNOWN")
            }
            // Outside the grammar, or longer than 300 characters: invalid.
            expectRegistryError(try await registry.send("GET", "/v2/team/app/manifests/bad%21tag"), 400, "TAG_INVALID")
            expectRegistryError(try await registry.send("GET", "/v2/team/app/manifests/\(String(repeating: "a", count: 301))"), 400, "TAG_INVALID")
        }
    }

    @Test func anIndexIsAsLargeAsItsLargestImage() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "team/app"])
            let registry = try await RegistryClient.login(fake)
            let small = try await registry.pushImage("team/app", tag: "small", seed: "s")
            let large = try await registry.pushImage("team/app", tag: "large", seed: "a much longer seed that makes a larger image")
            #expect(large.size > small.size)
            let entries = [small, large].map { #"{"mediaType":"\#(ociManifestType)","digest":"\#($0.digest)","size":\#($0.manifest.utf8.count)}"# }
            let index = #"{"schemaVersion":2,"mediaType":"\#(ociIndexType)","manifests":[\#(entries.joined(separator: ","))]}"#
            let pushed = try await registry.send("PUT", "/v2/team/app/manifests/multi", headers: [("Content-Type", ociIndexType)], body: Data(index.utf8))
            #expect(pushed.status == 201, "\(pushed.text)")
            let described = try await fake.ecr("DescribeImages", object: ["repositoryName": "team/app", "imageIds": [["imageTag": "multi"]]])
            let detail = try #require((described.json["imageDetails"] as? [[String: Any]])?.first, "\(described.text)")
            #expect(detail["imageSizeInBytes"] as? Int == large.size, "the largest image, not the sum \(small.size + large.size)")

            // PutImage of an index whose images are missing is ReferencedImagesNotFoundException.
            let orphan = #"{"schemaVersion":2,"mediaType":"\#(ociIndexType)","manifests":[{"mediaType":"\#(ociManifestType)","digest":"sha256:\#(String(repeating: "0", count: 64))","size":10}]}"#
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "team/app", "imageManifest": orphan, "imageTag": "orphan"]),
                "ReferencedImagesNotFoundException", messageContains: "sha256:\(String(repeating: "0", count: 64))")
            expectRegistryError(
                try await registry.send("PUT", "/v2/team/app/manifests/orphan", headers: [("Content-Type", ociIndexType)], body: Data(orphan.utf8)),
                400, "MANIFEST_BLOB_UNKNOWN")
        }
    }
}
