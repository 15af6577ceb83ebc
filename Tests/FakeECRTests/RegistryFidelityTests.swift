import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// The fake serves what a real client would see: a manifest through BatchGetImage and through
/// `/v2/` is byte for byte what was pushed, its sha256 is the digest DescribeImages reports, and its
/// config is the upstream image's, served as a blob that hashes to its digest. Checked for skopeo
/// (which keeps the upstream's digests) and podman (which re-compresses the layers and writes its own
/// manifest on push: a new manifest digest, the same config).
@Suite("Registry fidelity: manifests and configs as pushed, by skopeo and podman", .serialized)
struct RegistryFidelityTests {
    /// (layout, reference in it, key of the pins and DIGESTS.txt)
    static let images: [(layout: URL, ref: String, key: String)] = [
        (RegistryFixtures.publicECR, "eks/aws-load-balancer-controller:v2.9.2", "public.ecr.aws/eks/aws-load-balancer-controller:v2.9.2"),
        (RegistryFixtures.k8s, "autoscaling/cluster-autoscaler:v1.32.0", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.0"),
        (RegistryFixtures.publicECR, "nginx/nginx:1.27", "public.ecr.aws/nginx/nginx:1.27"),
    ]

    @Test(.enabled(if: ExternalTool.available("skopeo") || ExternalTool.required, "skopeo is not installed (apt-get install skopeo)"))
    func skopeoCopiesAreServedAsPushed() async throws {
        try ExternalTool.require("skopeo")
        let pins = try UpstreamPins.load()
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let client = try await RegistryClient.login(fake)
            for (index, image) in Self.images.enumerated() {
                let pin = try pins.image(image.key)
                let repository = "skopeo/image-\(index)"
                _ = try await fake.ecr("CreateRepository", object: ["repositoryName": repository])
                let digestFile = FileManager.default.temporaryDirectory.appendingPathComponent("skopeo-digest-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: digestFile) }
                let copied = try await RegistryClientToolTests.skopeo([
                    "copy", "--all", "--digestfile", digestFile.path, "--dest-creds", "AWS:\(client.password)", "--dest-tls-verify=false",
                    "oci:\(image.layout.path):\(image.ref)", "docker://\(client.host)/\(repository):pushed",
                ])
                try #require(copied.status == 0, "skopeo copy: \(copied.summary)")

                let served = try await ServedImage.fetch(client, repository, ["imageTag": "pushed"])
                let skopeoDigest = try String(contentsOf: digestFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(served.digest == skopeoDigest, "the fake serves the manifest skopeo pushed: \(image.key)")
                #expect(served.digest == pin.digest, "skopeo keeps the upstream's digest: \(image.key)")
                // An index: each platform's manifest is an image of its own, served the same way.
                let platforms = served.json["manifests"] as? [[String: Any]] ?? [served.json]
                #expect(platforms.count == pin.platforms.count, "\(image.key): \(served.text)")
                for platform in pin.platforms {
                    let child = served.json["manifests"] == nil
                        ? served : try await ServedImage.fetch(client, repository, ["imageDigest": platform.manifestDigest])
                    #expect(child.digest == platform.manifestDigest, "\(image.key) \(platform.name)")
                    try await child.expectConfig(platform.configDigest, client, repository, "\(image.key) \(platform.name)")
                }
            }
        }
    }

    @Test(.enabled(if: ExternalTool.available("podman") || ExternalTool.required, "podman is not installed (apt-get install podman)"))
    func podmanPushesAreServedAsPushed() async throws {
        try ExternalTool.require("podman")
        await ToolLock.podman.acquire()
        defer { ToolLock.podman.release() }
        let pins = try UpstreamPins.load()
        let sandbox = try PodmanSandbox()
        defer { sandbox.remove() }
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let client = try await RegistryClient.login(fake)
            let login = try await sandbox.login(client.host, password: client.password)
            try #require(login.status == 0, "podman login: \(login.summary)")
            for (index, image) in Self.images.enumerated() {
                let pin = try pins.image(image.key)
                // podman keeps one platform of an index: ask for linux/amd64, whatever the machine.
                let platform = try #require(pin.platforms.first { $0.name == "linux/amd64" }, "\(image.key) has no linux/amd64 pin")
                let pulled = try await sandbox.run(["pull", "--quiet", "--platform", "linux/amd64", "oci:\(image.layout.path):\(image.ref)"])
                try #require(pulled.status == 0, "podman pull: \(pulled.summary)")
                let imageID = pulled.output.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect("sha256:" + imageID == platform.configDigest, "podman's image ID is the config digest: \(image.key)")

                let repository = "podman/image-\(index)"
                _ = try await fake.ecr("CreateRepository", object: ["repositoryName": repository])
                let digestFile = sandbox.scratch.appendingPathComponent("digest-\(index)")
                let pushed = try await sandbox.run([
                    "push", "--tls-verify=false", "--digestfile", digestFile.path, imageID, "\(client.host)/\(repository):pushed",
                ])
                try #require(pushed.status == 0, "podman push: \(pushed.summary)")

                let served = try await ServedImage.fetch(client, repository, ["imageTag": "pushed"])
                let podmanDigest = try String(contentsOf: digestFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(served.digest == podmanDigest, "the fake serves the manifest podman pushed: \(image.key)")
                // podman stores the layers uncompressed and gzips them again on push; it writes the
                // manifest anew too, so its digest is not the upstream's. (With these fixtures, whose
                // layers c/image's own gzip made, the re-compressed layers come out byte-identical:
                // only the manifest's bytes differ. Either way the config is the upstream's.)
                let upstreamLayers = try UpstreamPins.layerDigests(image.layout, manifest: platform.manifestDigest)
                #expect(served.digest != platform.manifestDigest, "podman wrote its own manifest for \(image.key)")
                #expect(served.layerDigests.count == upstreamLayers.count, "\(image.key): \(served.text)")
                try await served.expectConfig(platform.configDigest, client, repository, image.key)
            }
        }
    }
}

/// One image of the fake as its clients see it: the `/v2/` manifest, checked against BatchGetImage and DescribeImages.
struct ServedImage {
    static let acceptedTypes = [ociManifestType, ociIndexType, dockerManifestType, dockerListType]

    var bytes: Data
    var digest: String
    var json: [String: Any]
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var layerDigests: [String] { (json["layers"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String } }

    /// GETs the manifest from `/v2/` and expects BatchGetImage's `imageManifest` to be the same bytes,
    /// and their sha256 to be the digest of `Docker-Content-Digest`, BatchGetImage and DescribeImages.
    static func fetch(
        _ client: RegistryClient, _ repository: String, _ imageId: [String: String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ServedImage {
        let reference = imageId["imageTag"] ?? imageId["imageDigest"] ?? ""
        let answer = try await client.send(
            "GET", "/v2/\(repository)/manifests/\(reference)", headers: [("Accept", acceptedTypes.joined(separator: ", "))])
        try #require(answer.status == 200, "GET manifest \(repository):\(reference): \(answer.text)", sourceLocation: sourceLocation)
        let digest = sha256(answer.body)
        #expect(answer.header("Docker-Content-Digest") == digest, sourceLocation: sourceLocation)

        let batch = try await client.fake.ecr(
            "BatchGetImage", object: ["repositoryName": repository, "imageIds": [imageId], "acceptedMediaTypes": acceptedTypes])
        let found = try #require((batch.json["images"] as? [[String: Any]])?.first, "BatchGetImage: \(batch.text)", sourceLocation: sourceLocation)
        let manifest = try #require(found["imageManifest"] as? String, sourceLocation: sourceLocation)
        #expect(Data(manifest.utf8) == answer.body, "BatchGetImage and /v2/ serve the same bytes", sourceLocation: sourceLocation)
        #expect((found["imageId"] as? [String: Any])?["imageDigest"] as? String == digest, sourceLocation: sourceLocation)
        #expect(found["imageManifestMediaType"] as? String == answer.header("Content-Type"), sourceLocation: sourceLocation)

        let described = try await client.fake.ecr("DescribeImages", object: ["repositoryName": repository, "imageIds": [imageId]])
        let detail = (described.json["imageDetails"] as? [[String: Any]])?.first
        #expect(detail?["imageDigest"] as? String == digest, "DescribeImages: \(described.text)", sourceLocation: sourceLocation)

        let json = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any], sourceLocation: sourceLocation)
        return ServedImage(bytes: answer.body, digest: digest, json: json)
    }

    /// The manifest names `expected` as its config, and `/v2/` serves a config blob that hashes to it;
    /// every layer blob hashes to its digest too.
    func expectConfig(
        _ expected: String, _ client: RegistryClient, _ repository: String, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let config = json["config"] as? [String: Any]
        #expect(config?["digest"] as? String == expected, "config of \(label): \(text)", sourceLocation: sourceLocation)
        let layers = (json["layers"] as? [[String: Any]] ?? []).map { ($0["digest"] as? String ?? "", $0["size"] as? Int) }
        for (digest, size) in [(expected, config?["size"] as? Int)] + layers {
            let blob = try await client.send("GET", "/v2/\(repository)/blobs/\(digest)")
            #expect(blob.status == 200, "GET blob \(digest) of \(label): \(blob.text)", sourceLocation: sourceLocation)
            #expect(sha256(blob.body) == digest, "blob \(digest) of \(label)", sourceLocation: sourceLocation)
            #expect(blob.body.count == size, "size of blob \(digest) of \(label)", sourceLocation: sourceLocation)
        }
    }
}

/// `fixtures/upstream/ecr-lab.pins.json`: each upstream image's digest and, per platform, its manifest and config digests.
struct UpstreamPins {
    struct Platform {
        var name: String
        var manifestDigest: String
        var configDigest: String
    }

    struct Image {
        var digest: String
        var platforms: [Platform]
    }

    var images: [String: Image]

    static func load() throws -> UpstreamPins {
        let data = try Data(contentsOf: RegistryFixtures.upstream.appendingPathComponent("ecr-lab.pins.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let images = try #require(document["images"] as? [String: [String: Any]])
        return UpstreamPins(images: images.compactMapValues { image in
            guard let digest = image["digest"] as? String, let platforms = image["platforms"] as? [[String: Any]] else { return nil }
            return Image(digest: digest, platforms: platforms.compactMap { platform in
                guard let name = platform["platform"] as? String, let manifest = platform["manifestDigest"] as? String,
                      let config = platform["configDigest"] as? String else { return nil }
                return Platform(name: name, manifestDigest: manifest, configDigest: config)
            })
        })
    }

    func image(_ key: String) throws -> Image {
        try #require(images[key], "no pin for \(key)")
    }

    /// The layer digests of a manifest in an OCI layout.
    static func layerDigests(_ layout: URL, manifest digest: String) throws -> Set<String> {
        let blob = layout.appendingPathComponent("blobs/sha256/\(digest.replacingOccurrences(of: "sha256:", with: ""))")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: blob)) as? [String: Any])
        return Set((manifest["layers"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String })
    }
}
