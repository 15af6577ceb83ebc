import ECRWire
import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// The rules of a push and a delete are one model's: the control plane (PutImage,
/// BatchDeleteImage) and the `/v2/` data plane (manifest PUT and DELETE) apply them alike and differ
/// only in how they answer (ECR JSON errors vs `{"errors":[…]}`, and a re-push that `/v2/` accepts).
@Suite("Image push and delete rules on both planes")
struct ImagePushRulesTests {
    /// Pushes a manifest over `/v2/` under `reference` (a tag, or nil: by its digest).
    static func put(_ registry: RegistryClient, _ repository: String, _ manifest: String, _ reference: String? = nil) async throws -> HTTPAnswer {
        let path = "/v2/\(repository)/manifests/\(reference ?? sha256(Data(manifest.utf8)))"
        return try await registry.send("PUT", path, headers: [("Content-Type", ociManifestType)], body: Data(manifest.utf8))
    }

    static func digest(of tag: String, _ registry: RegistryClient, _ repository: String) async throws -> String? {
        try await registry.send("HEAD", "/v2/\(repository)/manifests/\(tag)").header("Docker-Content-Digest")
    }

    /// digest → tags, as DescribeImages reports them.
    static func images(_ fake: TestFakeECR, _ repository: String) async throws -> [String: Set<String>] {
        let described = try await fake.ecr("DescribeImages", object: ["repositoryName": repository])
        var result: [String: Set<String>] = [:]
        for detail in described.json["imageDetails"] as? [[String: Any]] ?? [] {
            if let digest = detail["imageDigest"] as? String { result[digest] = Set(detail["imageTags"] as? [String] ?? []) }
        }
        return result
    }

    @Test func aTagMovesToTheNewImageWhicheverPlanePushesIt() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"moves"}"#)
            try await fake.uploadTestBlobs(to: "moves")
            let registry = try await RegistryClient.login(fake)
            let first = try await registry.pushImage("moves", tag: "v1", seed: "first")

            // PutImage takes v1 from the image /v2/ pushed; that image stays, untagged.
            let second = testManifest(seed: "second")
            #expect(try await fake.ecr("PutImage", object: ["repositoryName": "moves", "imageManifest": second, "imageTag": "v1"]).status == 200)
            #expect(try await Self.digest(of: "v1", registry, "moves") == sha256(Data(second.utf8)))
            #expect(try await Self.images(fake, "moves") == [first.digest: [], sha256(Data(second.utf8)): ["v1"]])

            // A /v2/ push takes it back.
            #expect(try await Self.put(registry, "moves", first.manifest, "v1").status == 201)
            #expect(try await Self.images(fake, "moves") == [first.digest: ["v1"], sha256(Data(second.utf8)): []])
            let untagged = try await fake.ecr("ListImages", #"{"repositoryName":"moves","filter":{"tagStatus":"UNTAGGED"}}"#)
            #expect((untagged.json["imageIds"] as? [[String: String]]) == [["imageDigest": sha256(Data(second.utf8))]])
        }
    }

    @Test func tagImmutabilityAndItsExclusionsHoldOnBothPlanes() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", object: [
                "repositoryName": "guarded", "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
                "imageTagMutabilityExclusionFilters": [["filterType": "WILDCARD", "filter": "latest*"]],
            ])
            let registry = try await RegistryClient.login(fake)
            let first = try await registry.pushImage("guarded", tag: "v1", seed: "first")
            #expect(try await Self.put(registry, "guarded", first.manifest, "latest").status == 201)
            let second = try await registry.pushImage("guarded", tag: "v2", seed: "second")

            // v1 is immutable: refused by both planes, each in its own words.
            expectRegistryError(try await Self.put(registry, "guarded", second.manifest, "v1"), 400, "TAG_INVALID", messageContains: "'v1'")
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "guarded", "imageManifest": second.manifest, "imageTag": "v1"]),
                "ImageTagAlreadyExistsException", messageContains: "The image tag 'v1' already exists in the 'guarded' repository")
            #expect(try await Self.digest(of: "v1", registry, "guarded") == first.digest)

            // latest matches an exclusion filter: it moves, by either plane.
            #expect(try await Self.put(registry, "guarded", second.manifest, "latest").status == 201)
            #expect(try await Self.digest(of: "latest", registry, "guarded") == second.digest)
            #expect(try await fake.ecr("PutImage", object: ["repositoryName": "guarded", "imageManifest": first.manifest, "imageTag": "latest"]).status == 200)
            #expect(try await Self.digest(of: "latest", registry, "guarded") == first.digest)

            // MUTABLE_WITH_EXCLUSION turns it around: the matching tags are the immutable ones.
            let mutable = try await fake.ecr("PutImageTagMutability", object: [
                "repositoryName": "guarded", "imageTagMutability": "MUTABLE_WITH_EXCLUSION",
                "imageTagMutabilityExclusionFilters": [["filterType": "WILDCARD", "filter": "latest*"]],
            ])
            #expect(mutable.status == 200)
            expectRegistryError(try await Self.put(registry, "guarded", second.manifest, "latest"), 400, "TAG_INVALID")
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "guarded", "imageManifest": second.manifest, "imageTag": "latest"]),
                "ImageTagAlreadyExistsException")
            #expect(try await Self.put(registry, "guarded", second.manifest, "v1").status == 201)
            #expect(try await Self.images(fake, "guarded") == [first.digest: ["latest"], second.digest: ["v1", "v2"]])
        }
    }

    @Test func pushingAnImageThatIsThereIsRefusedByPutImageOnly() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"again"}"#)
            let registry = try await RegistryClient.login(fake)
            let image = try await registry.pushImage("again", tag: "v1", seed: "again")

            // docker push twice, by tag or by digest: accepted, nothing changes.
            #expect(try await Self.put(registry, "again", image.manifest, "v1").status == 201)
            let byDigest = try await Self.put(registry, "again", image.manifest)
            #expect(byDigest.status == 201)
            #expect(byDigest.header("Docker-Content-Digest") == image.digest)

            // PutImage of the same image and tag, or untagged: ImageAlreadyExistsException.
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "again", "imageManifest": image.manifest, "imageTag": "v1"]),
                "ImageAlreadyExistsException", messageContains: "Image with digest '\(image.digest)' and tag 'v1' already exists")
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "again", "imageManifest": image.manifest]),
                "ImageAlreadyExistsException", messageContains: "and tag 'null' already exists")
            // A new tag for it is a push.
            #expect(try await fake.ecr("PutImage", object: ["repositoryName": "again", "imageManifest": image.manifest, "imageTag": "v2"]).status == 200)
            #expect(try await Self.images(fake, "again") == [image.digest: ["v1", "v2"]])
        }
    }

    @Test func deletingByTagOrDigestIsTheSameOnBothPlanes() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"gone"}"#)
            let registry = try await RegistryClient.login(fake)
            let first = try await registry.pushImage("gone", tag: "v1", seed: "first")
            #expect(try await Self.put(registry, "gone", first.manifest, "v2").status == 201)
            let second = try await registry.pushImage("gone", tag: "b1", seed: "second")
            #expect(try await fake.ecr("PutImage", object: ["repositoryName": "gone", "imageManifest": second.manifest, "imageTag": "b2"]).status == 200)

            // By tag: the tag goes; the image with it when it was the last one.
            #expect(try await registry.send("DELETE", "/v2/gone/manifests/v1").status == 202)
            #expect(try await Self.images(fake, "gone")[first.digest] == ["v2"])
            let byTag = try await fake.ecr("BatchDeleteImage", object: ["repositoryName": "gone", "imageIds": [["imageTag": "v2"]]])
            #expect((byTag.json["imageIds"] as? [[String: String]]) == [["imageDigest": first.digest, "imageTag": "v2"]])
            expectRegistryError(try await registry.send("GET", "/v2/gone/manifests/\(first.digest)"), 404, "MANIFEST_UNKNOWN")

            // By digest: the image and all its tags, whichever plane deletes it.
            #expect(try await registry.send("DELETE", "/v2/gone/manifests/\(second.digest)").status == 202)
            let got = try await fake.ecr("BatchGetImage", object: ["repositoryName": "gone", "imageIds": [["imageTag": "b1"], ["imageTag": "b2"]]])
            #expect((got.json["failures"] as? [[String: Any]])?.compactMap { $0["failureCode"] as? String } == ["ImageNotFound", "ImageNotFound"])

            let config = Data(#"{"untagged":true}"#.utf8)
            let untagged = ociManifest(config: (try await registry.pushBlob("gone", config), config.count), layers: [])
            #expect(try await Self.put(registry, "gone", untagged).status == 201)
            let digest = sha256(Data(untagged.utf8))
            let byDigest = try await fake.ecr("BatchDeleteImage", object: ["repositoryName": "gone", "imageIds": [["imageDigest": digest]]])
            #expect((byDigest.json["imageIds"] as? [[String: String]]) == [["imageDigest": digest]])
            expectRegistryError(try await registry.send("DELETE", "/v2/gone/manifests/\(digest)"), 404, "MANIFEST_UNKNOWN")
            let again = try await fake.ecr("BatchDeleteImage", object: ["repositoryName": "gone", "imageIds": [["imageDigest": digest]]])
            #expect((again.json["failures"] as? [[String: Any]])?.first?["failureCode"] as? String == "ImageNotFound")
            #expect(try await Self.images(fake, "gone").isEmpty)
        }
    }
}
