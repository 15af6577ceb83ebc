import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// OCI 1.1 referrers (ECR supports them since June 2024): a manifest with a `subject` is a referrer
/// of that image; the manifest PUT answers `OCI-Subject`, `GET /v2/<name>/referrers/<digest>` lists
/// the referrers as an index (filtered by `artifactType`, with `OCI-Filters-Applied`), and so does
/// the control plane's ListImageReferrers.
@Suite("OCI 1.1 referrers")
struct ReferrersTests {
    static let emptyConfig = Data("{}".utf8)
    static let emptyType = "application/vnd.oci.empty.v1+json"

    /// Pushes an artifact of `artifactType` whose subject is `subject`; returns its digest and manifest.
    static func pushArtifact(
        _ registry: RegistryClient, _ repository: String, subject: (digest: String, size: Int), artifactType: String, note: String
    ) async throws -> (digest: String, manifest: String, answer: HTTPAnswer) {
        let config = try await registry.pushBlob(repository, emptyConfig)
        let layer = try await registry.pushBlob(repository, Data(note.utf8))
        let manifest = #"{"schemaVersion":2,"mediaType":"\#(ociManifestType)","artifactType":"\#(artifactType)","config":{"mediaType":"\#(emptyType)","digest":"\#(config)","size":2},"layers":[{"mediaType":"text/plain","digest":"\#(layer)","size":\#(note.utf8.count)}],"subject":{"mediaType":"\#(ociManifestType)","digest":"\#(subject.digest)","size":\#(subject.size)},"annotations":{"note":"\#(note)"}}"#
        let digest = sha256(Data(manifest.utf8))
        let answer = try await registry.send("PUT", "/v2/\(repository)/manifests/\(digest)", headers: [("Content-Type", ociManifestType)], body: Data(manifest.utf8))
        return (digest, manifest, answer)
    }

    static func manifests(_ answer: HTTPAnswer) -> [[String: Any]] { answer.json["manifests"] as? [[String: Any]] ?? [] }

    @Test func theReferrersAPIListsAndFiltersArtifactsOfAnImage() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "team/app"])
            let registry = try await RegistryClient.login(fake)
            let image = try await registry.pushImage("team/app", tag: "v1", seed: "subject")
            let subject = (image.digest, image.manifest.utf8.count)
            let sbom = try await Self.pushArtifact(registry, "team/app", subject: subject, artifactType: "application/spdx+json", note: "sbom")
            #expect(sbom.answer.status == 201, "\(sbom.answer.text)")
            #expect(sbom.answer.header("OCI-Subject") == image.digest)
            let signature = try await Self.pushArtifact(registry, "team/app", subject: subject, artifactType: "application/vnd.dev.cosign", note: "sig")
            #expect(try await registry.send("PUT", "/v2/team/app/manifests/plain", headers: [("Content-Type", ociManifestType)], body: Data(image.manifest.utf8)).header("OCI-Subject") == nil)

            let all = try await registry.send("GET", "/v2/team/app/referrers/\(image.digest)")
            #expect(all.status == 200, "\(all.text)")
            #expect(all.header("Content-Type") == ociIndexType)
            #expect(all.header("OCI-Filters-Applied") == nil)
            #expect(all.json["schemaVersion"] as? Int == 2 && all.json["mediaType"] as? String == ociIndexType)
            let listed = Self.manifests(all)
            #expect(listed.compactMap { $0["digest"] as? String } == [sbom.digest, signature.digest])
            #expect(listed.first?["artifactType"] as? String == "application/spdx+json")
            #expect(listed.first?["size"] as? Int == sbom.manifest.utf8.count)
            #expect(listed.first?["mediaType"] as? String == ociManifestType)
            #expect((listed.first?["annotations"] as? [String: String])?["note"] == "sbom")

            let filtered = try await registry.send("GET", "/v2/team/app/referrers/\(image.digest)?artifactType=application/vnd.dev.cosign")
            #expect(filtered.header("OCI-Filters-Applied") == "artifactType")
            #expect(Self.manifests(filtered).compactMap { $0["digest"] as? String } == [signature.digest])

            // A subject without referrers (or not there at all) has an empty index; a bad digest is refused.
            let none = try await registry.send("GET", "/v2/team/app/referrers/sha256:\(String(repeating: "a", count: 64))")
            #expect(none.status == 200 && Self.manifests(none).isEmpty && none.json["manifests"] != nil, "\(none.text)")
            expectRegistryError(try await registry.send("GET", "/v2/team/app/referrers/sha256:abc"), 400, "DIGEST_INVALID")
            expectRegistryError(try await registry.send("GET", "/v2/team/none/referrers/\(image.digest)"), 404, "NAME_UNKNOWN")

            // Deleting a referrer removes it from the listing; DescribeImages names its subject.
            let described = try await fake.ecr("DescribeImages", object: ["repositoryName": "team/app", "imageIds": [["imageDigest": sbom.digest]]])
            #expect((described.json["imageDetails"] as? [[String: Any]])?.first?["subjectManifestDigest"] as? String == image.digest)
            #expect(try await registry.send("DELETE", "/v2/team/app/manifests/\(sbom.digest)").status == 202)
            #expect(Self.manifests(try await registry.send("GET", "/v2/team/app/referrers/\(image.digest)")).count == 1)
        }
    }

    @Test func listImageReferrersOnTheControlPlane() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "team/app"])
            let registry = try await RegistryClient.login(fake)
            let image = try await registry.pushImage("team/app", tag: "v1", seed: "subject")
            let subject = (image.digest, image.manifest.utf8.count)
            let sbom = try await Self.pushArtifact(registry, "team/app", subject: subject, artifactType: "application/spdx+json", note: "sbom")
            let signature = try await Self.pushArtifact(registry, "team/app", subject: subject, artifactType: "application/vnd.dev.cosign", note: "sig")

            let all = try await fake.ecr("ListImageReferrers", object: ["repositoryName": "team/app", "subjectId": ["imageDigest": image.digest]])
            #expect(all.status == 200, "\(all.text)")
            let referrers = all.json["referrers"] as? [[String: Any]] ?? []
            #expect(referrers.compactMap { $0["digest"] as? String } == [sbom.digest, signature.digest])
            #expect(referrers.first?["artifactStatus"] as? String == "ACTIVE")
            #expect(referrers.first?["artifactType"] as? String == "application/spdx+json")

            let page = try await fake.ecr("ListImageReferrers", object: ["repositoryName": "team/app", "subjectId": ["imageDigest": image.digest], "maxResults": 1])
            #expect((page.json["referrers"] as? [[String: Any]])?.count == 1)
            let next = try #require(page.json["nextToken"] as? String)
            let rest = try await fake.ecr(
                "ListImageReferrers", object: ["repositoryName": "team/app", "subjectId": ["imageDigest": image.digest], "maxResults": 1, "nextToken": next])
            #expect((rest.json["referrers"] as? [[String: Any]])?.first?["digest"] as? String == signature.digest)

            let filtered = try await fake.ecr(
                "ListImageReferrers",
                object: ["repositoryName": "team/app", "subjectId": ["imageDigest": image.digest], "filter": ["artifactTypes": ["application/vnd.dev.cosign"]]])
            #expect((filtered.json["referrers"] as? [[String: Any]])?.compactMap { $0["digest"] as? String } == [signature.digest])
            let archived = try await fake.ecr(
                "ListImageReferrers", object: ["repositoryName": "team/app", "subjectId": ["imageDigest": image.digest], "filter": ["artifactStatus": "ARCHIVED"]])
            #expect((archived.json["referrers"] as? [[String: Any]])?.isEmpty == true, "\(archived.text)")

            expectECRError(
                try await fake.ecr("ListImageReferrers", object: ["repositoryName": "team/none", "subjectId": ["imageDigest": image.digest]]), "RepositoryNotFoundException")
            expectECRError(
                try await fake.ecr("ListImageReferrers", object: ["repositoryName": "team/app", "subjectId": ["imageDigest": image.digest], "maxResults": 51]),
                "InvalidParameterException")
            expectECRError(try await fake.ecr("ListImageReferrers", object: ["repositoryName": "team/app"]), "ValidationException", messageContains: "subjectId")
        }
    }

    @Test(.enabled(if: ExternalTool.available("aws") || ExternalTool.required, "the AWS CLI is not installed (pip install awscli)"))
    func theAWSCLIListsReferrers() async throws {
        try ExternalTool.require("aws")
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "team/app"])
            let registry = try await RegistryClient.login(fake)
            let image = try await registry.pushImage("team/app", tag: "v1", seed: "subject")
            let sbom = try await Self.pushArtifact(registry, "team/app", subject: (image.digest, image.manifest.utf8.count), artifactType: "application/spdx+json", note: "sbom")
            let cli = TrailAWSCLITests.Lab(fake: fake)
            let output = try await cli.aws([
                "ecr", "list-image-referrers", "--repository-name", "team/app", "--subject-id", "imageDigest=\(image.digest)",
                "--query", "referrers[].[digest,artifactType]", "--output", "text",
            ])
            #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "\(sbom.digest)\tapplication/spdx+json")
        }
    }
}
