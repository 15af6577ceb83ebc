import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// The read-only stand-in registry that serves an OCI image layout (fixtures/upstream) over the
/// distribution API, as verify-lab uses it for public.ecr.aws and registry.k8s.io.
@Suite("OCI layout stand-in registry")
struct OCILayoutRegistryTests {
    @Test("serves the fixture images by tag and digest, their blobs, and OCI errors for the rest")
    func servesTheLayout() async throws {
        let registry = try await OCILayoutRegistry.start(directory: RegistryFixtures.publicECR)
        let base = registry.endpoint.absoluteString
        let digests = try RegistryFixtures.digests()
        do {
            let ping = try await TestFakeECR.send("GET", base + "/v2/")
            #expect(ping.status == 200)

            let index = try await TestFakeECR.send("GET", base + "/v2/nginx/nginx/manifests/1.27")
            #expect(index.status == 200, "\(index.text)")
            #expect(sha256(index.body) == digests["public.ecr.aws/nginx/nginx:1.27"])
            #expect(index.header("Docker-Content-Digest") == digests["public.ecr.aws/nginx/nginx:1.27"])
            #expect(index.header("Content-Type") == "application/vnd.oci.image.index.v1+json")

            let amd64 = try #require(digests["public.ecr.aws/nginx/nginx:1.27 linux/amd64"])
            let manifest = try await TestFakeECR.send("GET", base + "/v2/nginx/nginx/manifests/\(amd64)")
            #expect(manifest.status == 200)
            #expect(sha256(manifest.body) == amd64)
            let head = try await TestFakeECR.send("HEAD", base + "/v2/nginx/nginx/manifests/\(amd64)")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.header("Content-Length") == String(manifest.body.count))

            let layers = (manifest.json["layers"] as? [[String: Any]]) ?? []
            let layer = try #require(layers.first?["digest"] as? String)
            let blob = try await TestFakeECR.send("GET", base + "/v2/nginx/nginx/blobs/\(layer)")
            #expect(blob.status == 200)
            #expect(sha256(blob.body) == layer)

            let missingTag = try await TestFakeECR.send("GET", base + "/v2/nginx/nginx/manifests/0.0")
            #expect(missingTag.status == 404)
            #expect(registryError(missingTag).code == "MANIFEST_UNKNOWN")
            let missingBlob = try await TestFakeECR.send("GET", base + "/v2/nginx/nginx/blobs/sha256:" + String(repeating: "0", count: 64))
            #expect(missingBlob.status == 404)
            #expect(registryError(missingBlob).code == "BLOB_UNKNOWN")
            let malformed = try await TestFakeECR.send("GET", base + "/v2/nginx/nginx/blobs/sha256:not-hex")
            #expect(malformed.status == 400)
            #expect(registryError(malformed).code == "DIGEST_INVALID")
            let escape = try await TestFakeECR.send("GET", base + "/v2/nginx/nginx/blobs/sha256:../../index.json")
            #expect(escape.status == 404, "nothing outside blobs/ is served: \(escape.text)")
            let push = try await TestFakeECR.send("POST", base + "/v2/nginx/nginx/blobs/uploads/")
            #expect(push.status == 405)
            #expect(registryError(push).code == "UNSUPPORTED")
        } catch {
            await registry.stop()
            throw error
        }
        await registry.stop()
    }

    @Test("a folder without an OCI layout is refused at start, naming it")
    func refusesANonLayout() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        await #expect(throws: FakeECRServerError.self) {
            let registry = try await OCILayoutRegistry.start(directory: folder)
            await registry.stop()
        }
    }
}
