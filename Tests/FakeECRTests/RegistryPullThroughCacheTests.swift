import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// Pull through cache over raw HTTP, with the committed fixture OCI layouts as upstreams.
@Suite("Registry pull through cache")
struct RegistryPullThroughCacheTests {
    static let prefix = "public-ecr-9641173"

    static func withCache(_ source: UpstreamSource?, _ body: (TestFakeECR, RegistryClient) async throws -> Void) async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let rule = try await fake.ecr(
                "CreatePullThroughCacheRule", #"{"upstreamRegistryUrl":"public.ecr.aws","ecrRepositoryPrefix":"\#(prefix)"}"#)
            #expect(rule.status == 200)
            if let source { await fake.server.setUpstream("public.ecr.aws", source) }
            try await body(fake, try await RegistryClient.login(fake))
        }
    }

    @Test func pullFromAnOCILayoutCreatesTheRepository() async throws {
        let digests = try RegistryFixtures.digests()
        let expected = try #require(digests["public.ecr.aws/nginx/nginx:1.27"])
        try await Self.withCache(.ociLayout(RegistryFixtures.publicECR)) { fake, registry in
            let repo = "\(Self.prefix)/nginx/nginx"
            let accept = [ociIndexType, dockerListType, ociManifestType, dockerManifestType].joined(separator: ", ")
            let index = try await registry.send("GET", "/v2/\(repo)/manifests/1.27", headers: [("Accept", accept)])
            #expect(index.status == 200, "\(index.text)")
            #expect(index.header("Docker-Content-Digest") == expected)
            #expect(index.header("Content-Type") == ociIndexType)
            #expect(sha256(index.body) == expected)

            // The platform manifests and their blobs are served from the cache.
            let object = try #require(try JSONSerialization.jsonObject(with: index.body) as? [String: Any])
            let children = try #require(object["manifests"] as? [[String: Any]])
            #expect(children.count == 2)
            for child in children {
                let digest = try #require(child["digest"] as? String)
                let manifest = try await registry.send("GET", "/v2/\(repo)/manifests/\(digest)", headers: [("Accept", accept)])
                #expect(manifest.status == 200)
                let parsed = try #require(try JSONSerialization.jsonObject(with: manifest.body) as? [String: Any])
                let layer = try #require((parsed["layers"] as? [[String: Any]])?.first?["digest"] as? String)
                let blob = try await registry.send("GET", "/v2/\(repo)/blobs/\(layer)")
                #expect(blob.status == 200)
                #expect(sha256(blob.body) == layer)
            }

            // The control plane sees the repository ECR created and the tag.
            let repositories = try await fake.ecr("DescribeRepositories", object: ["repositoryNames": [repo]])
            #expect(repositories.status == 200, "\(repositories.text)")
            let images = try await fake.ecr("DescribeImages", object: ["repositoryName": repo, "imageIds": [["imageTag": "1.27"]]])
            let detail = try #require((images.json["imageDetails"] as? [[String: Any]])?.first)
            #expect(detail["imageDigest"] as? String == expected)
            #expect(detail["imageTags"] as? [String] == ["1.27"])
            #expect(detail["imageManifestMediaType"] as? String == ociIndexType)

            // Later pulls come from the cache, even with the upstream gone.
            await fake.server.removeUpstream("public.ecr.aws")
            let cached = try await registry.send("HEAD", "/v2/\(repo)/manifests/1.27", headers: [("Accept", accept)])
            #expect(cached.status == 200)
            #expect(cached.header("Docker-Content-Digest") == expected)

            // Pulling by digest does not populate the cache (ECR needs a tag on first pull).
            let lbc = try #require(digests["public.ecr.aws/eks/aws-load-balancer-controller:v2.9.2"])
            expectRegistryError(try await registry.send("GET", "/v2/\(Self.prefix)/eks/aws-load-balancer-controller/manifests/\(lbc)"), 404, "MANIFEST_UNKNOWN")
        }
    }

    @Test func aMissingUpstreamImageIsManifestUnknown() async throws {
        try await Self.withCache(.ociLayout(RegistryFixtures.publicECR)) { fake, registry in
            let answer = try await registry.send("GET", "/v2/\(Self.prefix)/nginx/nginx:9.99".replacingOccurrences(of: ":9.99", with: "/manifests/9.99"))
            expectRegistryError(answer, 404, "MANIFEST_UNKNOWN")
            // No repository is left behind.
            expectECRError(try await fake.ecr("DescribeRepositories", object: ["repositoryNames": ["\(Self.prefix)/nginx/nginx"]]), "RepositoryNotFoundException")
            // A repository outside every rule's prefix is simply unknown.
            expectRegistryError(try await registry.send("GET", "/v2/other/nginx/manifests/1.27"), 404, "NAME_UNKNOWN")
        }
    }

    @Test func anUnreachableUpstreamIsUnavailable() async throws {
        try await Self.withCache(.registry(try #require(URL(string: "http://127.0.0.1:1")))) { _, registry in
            let answer = try await registry.send("GET", "/v2/\(Self.prefix)/nginx/nginx/manifests/1.27")
            expectRegistryError(answer, 503, "UNAVAILABLE", messageContains: "public.ecr.aws")
        }
        try await Self.withCache(nil) { _, registry in
            let answer = try await registry.send("GET", "/v2/\(Self.prefix)/nginx/nginx/manifests/1.27")
            expectRegistryError(answer, 503, "UNAVAILABLE", messageContains: "--upstream public.ecr.aws=")
        }
        try await Self.withCache(.ociLayout(URL(fileURLWithPath: "/nonexistent-upstream-layout"))) { _, registry in
            let answer = try await registry.send("GET", "/v2/\(Self.prefix)/nginx/nginx/manifests/1.27")
            expectRegistryError(answer, 503, "UNAVAILABLE", messageContains: "/nonexistent-upstream-layout")
        }
    }

    @Test func upstreamMappingsParse() throws {
        let mapping = try UpstreamSource.parseMapping("public.ecr.aws=http://127.0.0.1:5000")
        #expect(mapping.registry == "public.ecr.aws")
        #expect(mapping.source == .registry(try #require(URL(string: "http://127.0.0.1:5000"))))
        let layout = try UpstreamSource.parseMapping("registry.k8s.io=oci:/tmp/layout")
        #expect(layout.source == .ociLayout(URL(fileURLWithPath: "/tmp/layout", isDirectory: true)))
        #expect(throws: UpstreamSourceError.self) { try UpstreamSource.parseMapping("public.ecr.aws") }
        #expect(throws: UpstreamSourceError.self) { try UpstreamSource.parseMapping("public.ecr.aws=ftp://x") }
        #expect(throws: UpstreamSourceError.self) { try UpstreamSource.parseMapping("=oci:/x") }
    }
}
