import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// The `/v2/` registry data plane over raw HTTP (no external tools: these always run).
@Suite("Registry data plane")
struct RegistryDataPlaneTests {
    @Test func baseEndpointAndAuthentication() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let anonymous = try await fake.send("GET", "/v2/")
            expectRegistryError(anonymous, 401, "UNAUTHORIZED")
            #expect(anonymous.header("WWW-Authenticate") == #"Basic realm="https://127.0.0.1:\#(fake.server.port)/",service="ecr.amazonaws.com""#)

            let registry = try await RegistryClient.login(fake)
            let ok = try await registry.send("GET", "/v2/")
            #expect(ok.status == 200)
            #expect(ok.header("Docker-Distribution-Api-Version") == "registry/2.0")

            let basic = { (user: String, password: String) in ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()) }
            let wrong = try await fake.send("GET", "/v2/", headers: [basic("AWS", registry.password + "x")])
            expectRegistryError(wrong, 401, "UNAUTHORIZED")
            #expect(wrong.header("WWW-Authenticate")?.hasPrefix("Basic realm=") == true)
            #expect(!wrong.text.contains(registry.password), "the password must not be echoed")
            let forged = try await fake.send("GET", "/v2/", headers: [basic("AWS", "bm9wZQ.bm9wZQ")])
            expectRegistryError(forged, 401, "UNAUTHORIZED")
            let otherUser = try await fake.send("GET", "/v2/", headers: [basic("admin", registry.password)])
            expectRegistryError(otherUser, 401, "UNAUTHORIZED", messageContains: "'AWS'")
            let bearer = try await fake.send("GET", "/v2/", headers: [("Authorization", "Bearer \(registry.password)")])
            expectRegistryError(bearer, 401, "UNAUTHORIZED")

            // The token names its account: a request addressed to another account's registry host is denied.
            let otherHost = try await fake.send("GET", "/v2/", headers: [basic("AWS", registry.password), ("Host", "111122223333.dkr.ecr.us-east-1.amazonaws.com")])
            expectRegistryError(otherHost, 403, "DENIED")
            // A password of another region's token works for that region's registry only.
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"regional"}"#, region: "ap-northeast-1")
            let tokyo = try await RegistryClient.login(fake, region: "ap-northeast-1")
            #expect(try await tokyo.send("GET", "/v2/regional/tags/list").status == 200)
            expectRegistryError(try await registry.send("GET", "/v2/regional/tags/list"), 404, "NAME_UNKNOWN")
        }
    }

    @Test func blobUploadsMonolithicChunkedAndMount() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"team/app"}"#)
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"team/other"}"#)
            let registry = try await RegistryClient.login(fake)

            // Monolithic upload with ?digest=.
            let data = Data("hello blob".utf8)
            let digest = sha256(data)
            let missing = try await registry.send("HEAD", "/v2/team/app/blobs/\(digest)")
            #expect(missing.status == 404)
            let mono = try await registry.send("POST", "/v2/team/app/blobs/uploads/?digest=\(digest)", body: data)
            #expect(mono.status == 201)
            #expect(mono.header("Location") == "/v2/team/app/blobs/\(digest)")
            #expect(mono.header("Docker-Content-Digest") == digest)
            let head = try await registry.send("HEAD", "/v2/team/app/blobs/\(digest)")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == String(data.count))
            #expect(head.header("Docker-Content-Digest") == digest)
            #expect(head.body.isEmpty)
            let get = try await registry.send("GET", "/v2/team/app/blobs/\(digest)")
            #expect(get.status == 200)
            #expect(get.body == data)

            // Session upload: POST, PATCH chunks with Content-Range, GET status, PUT ?digest=.
            let chunks = [Data("first-".utf8), Data("second-".utf8), Data("third".utf8)]
            let whole = chunks.reduce(Data(), +)
            let started = try await registry.send("POST", "/v2/team/app/blobs/uploads/")
            #expect(started.status == 202)
            #expect(started.header("Range") == "0-0")
            let location = try #require(started.header("Location"))
            #expect(location.hasPrefix("/v2/team/app/blobs/uploads/"))
            #expect(started.header("Docker-Upload-UUID").map { location.hasSuffix($0) } == true)
            var offset = 0
            for chunk in chunks.prefix(2) {
                let patched = try await registry.send(
                    "PATCH", location, headers: [("Content-Range", "\(offset)-\(offset + chunk.count - 1)"), ("Content-Type", "application/octet-stream")], body: chunk)
                offset += chunk.count
                #expect(patched.status == 202)
                #expect(patched.header("Range") == "0-\(offset - 1)")
                #expect(patched.header("Location") == location)
            }
            let status = try await registry.send("GET", location)
            #expect(status.status == 204)
            #expect(status.header("Range") == "0-\(offset - 1)")
            let outOfOrder = try await registry.send("PATCH", location, headers: [("Content-Range", "0-4")], body: Data("again".utf8))
            #expect(outOfOrder.status == 416)
            #expect(registryError(outOfOrder).code == "BLOB_UPLOAD_INVALID")
            let wholeDigest = sha256(whole)
            let done = try await registry.send("PUT", location + "?digest=\(wholeDigest)", body: chunks[2])
            #expect(done.status == 201, "\(done.text)")
            #expect(done.header("Docker-Content-Digest") == wholeDigest)
            #expect(try await registry.send("GET", "/v2/team/app/blobs/\(wholeDigest)").body == whole)
            expectRegistryError(try await registry.send("GET", location), 404, "BLOB_UPLOAD_UNKNOWN")

            // A corrupted upload (content does not match the digest) is refused.
            let corrupt = try await registry.send("POST", "/v2/team/app/blobs/uploads/?digest=\(sha256(Data("other".utf8)))", body: Data("tampered".utf8))
            expectRegistryError(corrupt, 400, "DIGEST_INVALID", messageContains: sha256(Data("tampered".utf8)))
            let session = try #require(try await registry.send("POST", "/v2/team/app/blobs/uploads/").header("Location"))
            _ = try await registry.send("PATCH", session, body: Data("abc".utf8))
            expectRegistryError(try await registry.send("PUT", session + "?digest=\(sha256(Data("abd".utf8)))"), 400, "DIGEST_INVALID")
            #expect(try await registry.send("HEAD", "/v2/team/app/blobs/\(sha256(Data("abd".utf8)))").status == 404)
            expectRegistryError(try await registry.send("GET", "/v2/team/app/blobs/\(sha256(Data("abd".utf8)))"), 404, "BLOB_UNKNOWN")
            expectRegistryError(try await registry.send("GET", "/v2/team/app/blobs/sha256:abc"), 400, "DIGEST_INVALID")
            expectRegistryError(try await registry.send("GET", "/v2/team/app/blobs/sha256:..%2F..%2Fetc"), 400, "DIGEST_INVALID")
            #expect(try await registry.send("GET", "/v2/team/app/blobs/uploads/../../x").status == 404)

            // Cancelling an upload.
            let cancelled = try #require(try await registry.send("POST", "/v2/team/app/blobs/uploads/").header("Location"))
            #expect(try await registry.send("DELETE", cancelled).status == 204)
            expectRegistryError(try await registry.send("PATCH", cancelled, body: Data("x".utf8)), 404, "BLOB_UPLOAD_UNKNOWN")
            // Sessions belong to their repository.
            let foreign = try #require(try await registry.send("POST", "/v2/team/app/blobs/uploads/").header("Location"))
            let id = try #require(foreign.split(separator: "/").last)
            expectRegistryError(try await registry.send("PATCH", "/v2/team/other/blobs/uploads/\(id)", body: Data("x".utf8)), 404, "BLOB_UPLOAD_UNKNOWN")

            // Cross-repository mount (with the registry's BLOB_MOUNTING enabled).
            _ = try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING", "value": "ENABLED"])
            let mounted = try await registry.send("POST", "/v2/team/other/blobs/uploads/?mount=\(digest)&from=team/app")
            #expect(mounted.status == 201)
            #expect(mounted.header("Location") == "/v2/team/other/blobs/\(digest)")
            #expect(mounted.header("Docker-Content-Digest") == digest)
            let unknownMount = try await registry.send("POST", "/v2/team/other/blobs/uploads/?mount=\(sha256(Data("nope".utf8)))&from=team/app")
            #expect(unknownMount.status == 202, "an unknown mount falls back to an upload session")

            // Uploading into a repository that does not exist fails as on ECR.
            let noRepo = try await registry.send("POST", "/v2/nope/blobs/uploads/?digest=\(digest)", body: data)
            expectRegistryError(noRepo, 404, "NAME_UNKNOWN", messageContains: "The repository with name 'nope' does not exist in the registry with id '123456789012'")
            expectRegistryError(try await registry.send("DELETE", "/v2/team/app/blobs/\(digest)"), 405, "UNSUPPORTED")
        }
    }

    @Test func manifestsAreImagesOfTheControlPlane() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"public.ecr.aws/eks/aws-load-balancer-controller"}"#)
            let registry = try await RegistryClient.login(fake)
            let repo = "public.ecr.aws/eks/aws-load-balancer-controller"
            let pushed = try await registry.pushImage(repo, tag: "v2.9.2", seed: "lbc")

            for reference in ["v2.9.2", pushed.digest] {
                let got = try await registry.send("GET", "/v2/\(repo)/manifests/\(reference)", headers: [("Accept", "\(dockerManifestType), \(ociManifestType)")])
                #expect(got.status == 200)
                #expect(got.text == pushed.manifest)
                #expect(got.header("Content-Type") == ociManifestType)
                #expect(got.header("Docker-Content-Digest") == pushed.digest)
                let head = try await registry.send("HEAD", "/v2/\(repo)/manifests/\(reference)")
                #expect(head.status == 200)
                #expect(head.body.isEmpty)
                #expect(head.header("Content-Length") == String(pushed.manifest.utf8.count))
                #expect(head.header("Docker-Content-Digest") == pushed.digest)
            }
            // Content negotiation: a client that accepts only Docker schema 2 does not get an OCI manifest.
            let dockerOnly = try await registry.send("GET", "/v2/\(repo)/manifests/v2.9.2", headers: [("Accept", dockerManifestType)])
            expectRegistryError(dockerOnly, 404, "MANIFEST_UNKNOWN")
            expectRegistryError(try await registry.send("GET", "/v2/\(repo)/manifests/v9"), 404, "MANIFEST_UNKNOWN", messageContains: "Requested image not found")
            expectRegistryError(try await registry.send("GET", "/v2/nope/manifests/v9"), 404, "NAME_UNKNOWN")

            // The control plane sees the pushed image.
            let described = try await fake.ecr("DescribeImages", object: ["repositoryName": repo])
            let detail = try #require((described.json["imageDetails"] as? [[String: Any]])?.first)
            #expect(detail["imageDigest"] as? String == pushed.digest)
            #expect(detail["imageTags"] as? [String] == ["v2.9.2"])
            #expect(detail["imageSizeInBytes"] as? Int == pushed.size)
            #expect(detail["imageManifestMediaType"] as? String == ociManifestType)
            #expect(detail["imagePushedAt"] is Double)
            let got = try await fake.ecr("BatchGetImage", object: ["repositoryName": repo, "imageIds": [["imageTag": "v2.9.2"]]])
            #expect((got.json["images"] as? [[String: Any]])?.first?["imageManifest"] as? String == pushed.manifest)

            // Pushing the same manifest and tag again succeeds (docker push twice).
            let again = try await registry.send("PUT", "/v2/\(repo)/manifests/v2.9.2", headers: [("Content-Type", ociManifestType)], body: Data(pushed.manifest.utf8))
            #expect(again.status == 201)
            #expect(again.header("Location") == "/v2/\(repo)/manifests/\(pushed.digest)")

            // PutImage of the control plane is served by /v2/.
            let putImage = try await fake.ecr("PutImage", object: ["repositoryName": repo, "imageManifest": pushed.manifest, "imageTag": "latest"])
            #expect(putImage.status == 200, "\(putImage.text)")
            #expect(try await registry.send("GET", "/v2/\(repo)/manifests/latest").header("Docker-Content-Digest") == pushed.digest)

            // tags/list with n, last and Link.
            _ = try await registry.pushImage(repo, tag: "v1", seed: "v1")
            _ = try await registry.pushImage(repo, tag: "v3", seed: "v3")
            let all = try await registry.send("GET", "/v2/\(repo)/tags/list")
            #expect(all.json["name"] as? String == repo)
            #expect(all.json["tags"] as? [String] == ["latest", "v1", "v2.9.2", "v3"])
            let page = try await registry.send("GET", "/v2/\(repo)/tags/list?n=2")
            #expect(page.json["tags"] as? [String] == ["latest", "v1"])
            #expect(page.header("Link") == #"</v2/\#(repo)/tags/list?last=v1&n=2>; rel="next""#)
            let next = try await registry.send("GET", "/v2/\(repo)/tags/list?n=2&last=v1")
            #expect(next.json["tags"] as? [String] == ["v2.9.2", "v3"])
            #expect(next.header("Link") == nil)
            expectRegistryError(try await registry.send("GET", "/v2/\(repo)/tags/list?n=abc"), 400, "PAGINATION_NUMBER_INVALID")
            expectRegistryError(try await registry.send("GET", "/v2/nope/tags/list"), 404, "NAME_UNKNOWN")

            // DELETE by tag drops the tag; by digest the image; BatchDeleteImage removes it from /v2/.
            #expect(try await registry.send("DELETE", "/v2/\(repo)/manifests/latest").status == 202)
            #expect(try await registry.send("GET", "/v2/\(repo)/manifests/v2.9.2").status == 200)
            expectRegistryError(try await registry.send("GET", "/v2/\(repo)/manifests/latest"), 404, "MANIFEST_UNKNOWN")
            let v1 = try #require(try await registry.send("HEAD", "/v2/\(repo)/manifests/v1").header("Docker-Content-Digest"))
            #expect(try await registry.send("DELETE", "/v2/\(repo)/manifests/\(v1)").status == 202)
            expectRegistryError(try await registry.send("GET", "/v2/\(repo)/manifests/v1"), 404, "MANIFEST_UNKNOWN")
            expectRegistryError(try await registry.send("DELETE", "/v2/\(repo)/manifests/v1"), 404, "MANIFEST_UNKNOWN")
            _ = try await fake.ecr("BatchDeleteImage", object: ["repositoryName": repo, "imageIds": [["imageDigest": pushed.digest]]])
            expectRegistryError(try await registry.send("GET", "/v2/\(repo)/manifests/\(pushed.digest)"), 404, "MANIFEST_UNKNOWN")
        }
    }

    @Test func manifestValidation() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"app"}"#)
            let registry = try await RegistryClient.login(fake)
            let config = Data("{}".utf8)
            let configDigest = try await registry.pushBlob("app", config)
            let missingLayer = sha256(Data("never uploaded".utf8))
            let dangling = ociManifest(config: (configDigest, config.count), layers: [(missingLayer, 14)])
            expectRegistryError(
                try await registry.send("PUT", "/v2/app/manifests/v1", headers: [("Content-Type", ociManifestType)], body: Data(dangling.utf8)), 400,
                "MANIFEST_BLOB_UNKNOWN", messageContains: missingLayer)
            expectRegistryError(
                try await registry.send("PUT", "/v2/app/manifests/v1", headers: [("Content-Type", ociManifestType)], body: Data("not json".utf8)), 400,
                "MANIFEST_INVALID")
            let good = ociManifest(config: (configDigest, config.count), layers: [])
            expectRegistryError(
                try await registry.send("PUT", "/v2/app/manifests/v1", headers: [("Content-Type", dockerManifestType)], body: Data(good.utf8)), 400,
                "MANIFEST_INVALID", messageContains: "does not match the Content-Type")
            expectRegistryError(
                try await registry.send("PUT", "/v2/app/manifests/\(sha256(Data("x".utf8)))", headers: [("Content-Type", ociManifestType)], body: Data(good.utf8)),
                400, "DIGEST_INVALID")
            expectRegistryError(
                try await registry.send("PUT", "/v2/app/manifests/-bad", headers: [("Content-Type", ociManifestType)], body: Data(good.utf8)), 400, "TAG_INVALID")
            expectRegistryError(
                try await registry.send("PUT", "/v2/nope/manifests/v1", headers: [("Content-Type", ociManifestType)], body: Data(good.utf8)), 404, "NAME_UNKNOWN",
                messageContains: "The repository with name 'nope' does not exist in the registry with id '123456789012'")
            expectRegistryError(try await registry.send("GET", "/v2/Bad_Name/manifests/v1"), 400, "NAME_INVALID")
            // By digest; a Docker schema 2 manifest without Content-Type is typed by its mediaType field.
            let put = try await registry.send("PUT", "/v2/app/manifests/\(sha256(Data(good.utf8)))", headers: [("Content-Type", ociManifestType)], body: Data(good.utf8))
            #expect(put.status == 201)
            let docker = #"{"schemaVersion":2,"mediaType":"\#(dockerManifestType)","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"\#(configDigest)","size":2},"layers":[]}"#
            let dockerPut = try await registry.send("PUT", "/v2/app/manifests/docker", body: Data(docker.utf8))
            #expect(dockerPut.status == 201, "\(dockerPut.text)")
            #expect(try await registry.send("GET", "/v2/app/manifests/docker").header("Content-Type") == dockerManifestType)

            // Indexes and manifest lists need their manifests pushed first.
            let index = #"{"schemaVersion":2,"mediaType":"\#(dockerListType)","manifests":[{"mediaType":"\#(dockerManifestType)","digest":"\#(sha256(Data(docker.utf8)))","size":\#(docker.utf8.count),"platform":{"architecture":"amd64","os":"linux"}}]}"#
            let listPut = try await registry.send("PUT", "/v2/app/manifests/multi", headers: [("Content-Type", dockerListType)], body: Data(index.utf8))
            #expect(listPut.status == 201, "\(listPut.text)")
            let list = try await registry.send("GET", "/v2/app/manifests/multi", headers: [("Accept", "\(dockerListType), \(dockerManifestType)")])
            #expect(list.header("Content-Type") == dockerListType)
            let danglingIndex = #"{"schemaVersion":2,"mediaType":"\#(ociIndexType)","manifests":[{"mediaType":"\#(ociManifestType)","digest":"\#(missingLayer)","size":10}]}"#
            expectRegistryError(
                try await registry.send("PUT", "/v2/app/manifests/idx", headers: [("Content-Type", ociIndexType)], body: Data(danglingIndex.utf8)), 400,
                "MANIFEST_BLOB_UNKNOWN")
            let described = try await fake.ecr("DescribeImages", #"{"repositoryName":"app","imageIds":[{"imageTag":"multi"}]}"#)
            let detail = try #require((described.json["imageDetails"] as? [[String: Any]])?.first)
            #expect(detail["imageManifestMediaType"] as? String == dockerListType)
            // A list is as large as its largest image (the model's documentation), here its only one.
            let child = try await fake.ecr("DescribeImages", #"{"repositoryName":"app","imageIds":[{"imageTag":"docker"}]}"#)
            let childSize = (child.json["imageDetails"] as? [[String: Any]])?.first?["imageSizeInBytes"] as? Int
            #expect(childSize != nil && detail["imageSizeInBytes"] as? Int == childSize)
        }
    }

    @Test func tagImmutabilityOnBothPlanes() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"locked","imageTagMutability":"IMMUTABLE"}"#)
            let registry = try await RegistryClient.login(fake)
            let first = try await registry.pushImage("locked", tag: "v1", seed: "one")
            let config = Data("{\"v\":2}".utf8)
            let configDigest = try await registry.pushBlob("locked", config)
            let second = ociManifest(config: (configDigest, config.count), layers: [])
            let refused = try await registry.send("PUT", "/v2/locked/manifests/v1", headers: [("Content-Type", ociManifestType)], body: Data(second.utf8))
            expectRegistryError(
                refused, 400, "TAG_INVALID",
                messageContains: "The image tag 'v1' already exists in the 'locked' repository and cannot be overwritten because the repository is immutable.")
            // The same image again under the same tag is fine; a new tag for the new image too.
            #expect(try await registry.send("PUT", "/v2/locked/manifests/v1", headers: [("Content-Type", ociManifestType)], body: Data(first.manifest.utf8)).status == 201)
            #expect(try await registry.send("PUT", "/v2/locked/manifests/v2", headers: [("Content-Type", ociManifestType)], body: Data(second.utf8)).status == 201)
            // PutImage over the control plane is refused for the same tag.
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "locked", "imageManifest": second, "imageTag": "v1"]), "ImageTagAlreadyExistsException")
            #expect(try await registry.send("GET", "/v2/locked/manifests/v1").header("Docker-Content-Digest") == first.digest)
        }
    }

    @Test func blobsPersistUnderTheDataDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-ecr-registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = FakeECRConfiguration(dataDirectory: directory)
        let pushed = try await TestFakeECR.with(configuration) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"kept"}"#)
            let registry = try await RegistryClient.login(fake)
            return try await registry.pushImage("kept", tag: "v1", seed: "kept")
        }
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(pushed.manifest.utf8)) as? [String: Any])
        let layer = try #require((manifest["layers"] as? [[String: Any]])?.first?["digest"] as? String)
        let file = directory.appendingPathComponent("blobs/sha256/\(layer.dropFirst("sha256:".count))")
        #expect(FileManager.default.fileExists(atPath: file.path))
        try await TestFakeECR.with(configuration) { fake in
            let registry = try await RegistryClient.login(fake)
            #expect(try await registry.send("GET", "/v2/kept/manifests/v1").text == pushed.manifest)
            #expect(try await registry.send("GET", "/v2/kept/blobs/\(layer)").body == (try Data(contentsOf: file)))
        }
    }
}
