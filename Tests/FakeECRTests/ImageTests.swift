import Crypto
import FakeECR
import FakeECRTesting
import Foundation
import Testing

@Suite("Images")
struct ImageTests {
    static func digest(_ manifest: String) -> String {
        "sha256:" + SHA256.hash(data: Data(manifest.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func putListDescribeGetDelete() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"lbc"}"#)
            try await fake.uploadTestBlobs(to: "lbc", configSize: 1234, layerSize: 5000)
            try await fake.uploadTestBlobs(to: "lbc")
            let manifest = testManifest(seed: "lbc", configSize: 1234, layerSize: 5000)
            let digest = Self.digest(manifest)
            let put = try await fake.ecr("PutImage", object: ["repositoryName": "lbc", "imageManifest": manifest, "imageTag": "v2.9.2"])
            #expect(put.status == 200)
            let image = try #require(put.json["image"] as? [String: Any])
            #expect((image["imageId"] as? [String: String]) == ["imageDigest": digest, "imageTag": "v2.9.2"])
            #expect(image["imageManifestMediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")

            // Same manifest, second tag; then an untagged image.
            #expect(try await fake.ecr("PutImage", object: ["repositoryName": "lbc", "imageManifest": manifest, "imageTag": "latest"]).status == 200)
            let other = testManifest(seed: "other")
            #expect(try await fake.ecr("PutImage", object: ["repositoryName": "lbc", "imageManifest": other]).status == 200)

            let listed = try await fake.ecr("ListImages", #"{"repositoryName":"lbc"}"#)
            let ids = try #require(listed.json["imageIds"] as? [[String: String]])
            #expect(ids.count == 3)
            #expect(ids.contains(["imageDigest": digest, "imageTag": "v2.9.2"]))
            #expect(ids.contains(["imageDigest": Self.digest(other)]))
            let untagged = try await fake.ecr("ListImages", #"{"repositoryName":"lbc","filter":{"tagStatus":"UNTAGGED"}}"#)
            #expect((untagged.json["imageIds"] as? [[String: String]]) == [["imageDigest": Self.digest(other)]])

            let described = try await fake.ecr("DescribeImages", object: ["repositoryName": "lbc", "imageIds": [["imageTag": "v2.9.2"]]])
            let detail = try #require((described.json["imageDetails"] as? [[String: Any]])?.first)
            #expect(detail["imageDigest"] as? String == digest)
            #expect(Set(detail["imageTags"] as? [String] ?? []) == ["v2.9.2", "latest"])
            #expect(detail["imageSizeInBytes"] as? Int == 6234)
            #expect(detail["registryId"] as? String == "123456789012")
            #expect(detail["repositoryName"] as? String == "lbc")
            #expect(detail["imagePushedAt"] is Double)
            let tagged = try await fake.ecr("DescribeImages", #"{"repositoryName":"lbc","filter":{"tagStatus":"TAGGED"}}"#)
            #expect((tagged.json["imageDetails"] as? [Any])?.count == 1)

            let got = try await fake.ecr("BatchGetImage", object: ["repositoryName": "lbc", "imageIds": [["imageTag": "v2.9.2"], ["imageTag": "nope"]]])
            let images = try #require(got.json["images"] as? [[String: Any]])
            #expect(images.first?["imageManifest"] as? String == manifest)
            let failures = try #require(got.json["failures"] as? [[String: Any]])
            #expect(failures.first?["failureCode"] as? String == "ImageNotFound")
            #expect(failures.first?["failureReason"] as? String == "Requested image not found")

            // Deleting by tag keeps the image while another tag holds it; by digest removes it.
            let byTag = try await fake.ecr("BatchDeleteImage", object: ["repositoryName": "lbc", "imageIds": [["imageTag": "latest"]]])
            #expect((byTag.json["imageIds"] as? [[String: String]]) == [["imageDigest": digest, "imageTag": "latest"]])
            let byDigest = try await fake.ecr("BatchDeleteImage", object: ["repositoryName": "lbc", "imageIds": [["imageDigest": digest], ["imageDigest": "sha256:" + String(repeating: "0", count: 64)]]])
            #expect((byDigest.json["imageIds"] as? [[String: String]]) == [["imageDigest": digest, "imageTag": "v2.9.2"]])
            #expect((byDigest.json["failures"] as? [[String: Any]])?.first?["failureCode"] as? String == "ImageNotFound")
            let remaining = try await fake.ecr("ListImages", #"{"repositoryName":"lbc"}"#)
            #expect((remaining.json["imageIds"] as? [Any])?.count == 1)
        }
    }

    @Test func imageErrors() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"app"}"#)
            try await fake.uploadTestBlobs(to: "app")
            let manifest = testManifest(seed: "x")
            _ = try await fake.ecr("PutImage", object: ["repositoryName": "app", "imageManifest": manifest, "imageTag": "v1"])
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "app", "imageManifest": manifest, "imageTag": "v1"]),
                "ImageAlreadyExistsException", messageContains: "Image with digest '\(Self.digest(manifest))' and tag 'v1' already exists")
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "nope", "imageManifest": manifest]), "RepositoryNotFoundException",
                messageContains: "'nope'")
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "app", "imageManifest": manifest, "imageDigest": "sha256:" + String(repeating: "1", count: 64)]),
                "ImageDigestDoesNotMatchException")
            expectECRError(
                try await fake.ecr("DescribeImages", object: ["repositoryName": "app", "imageIds": [["imageTag": "missing"]]]), "ImageNotFoundException",
                messageContains: "The image with imageId {imageDigest:'null', imageTag:'missing'} does not exist within the repository with name 'app' in the registry with id '123456789012'")
            expectECRError(try await fake.ecr("ListImages", #"{"repositoryName":"nope"}"#), "RepositoryNotFoundException")
            expectECRError(try await fake.ecr("BatchGetImage", #"{"repositoryName":"nope","imageIds":[{"imageTag":"a"}]}"#), "RepositoryNotFoundException")
            expectECRError(try await fake.ecr("BatchDeleteImage", #"{"repositoryName":"nope","imageIds":[{"imageTag":"a"}]}"#), "RepositoryNotFoundException")
            expectECRError(try await fake.ecr("ListImages", #"{"repositoryName":"app","filter":{"tagStatus":"MAYBE"}}"#), "InvalidParameterException")
        }
    }

    @Test func describeImagesPaging() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"many"}"#)
            try await fake.uploadTestBlobs(to: "many")
            for index in 0..<25 {
                _ = try await fake.ecr("PutImage", object: ["repositoryName": "many", "imageManifest": testManifest(seed: "\(index)"), "imageTag": "t\(index)"])
            }
            var digests: [String] = []
            var token: String?
            repeat {
                var body: [String: Any] = ["repositoryName": "many", "maxResults": 10]
                if let token { body["nextToken"] = token }
                let page = try await fake.ecr("DescribeImages", object: body)
                digests += (page.json["imageDetails"] as? [[String: Any]] ?? []).compactMap { $0["imageDigest"] as? String }
                token = page.json["nextToken"] as? String
            } while token != nil && digests.count < 100
            #expect(digests.count == 25)
            #expect(Set(digests).count == 25)
        }
    }
}
