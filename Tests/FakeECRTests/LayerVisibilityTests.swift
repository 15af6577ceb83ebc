import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// Blob bytes are stored once for the whole fake, but a blob is visible only in the repositories
/// it was uploaded to, mounted into (from a repository of the same registry the caller may pull
/// from) or pulled through the cache into; a manifest may reference only visible blobs.
@Suite("Layer visibility per repository")
struct LayerVisibilityTests {
    @Test func aBlobOfAnotherRepositoryIsNeitherReadableNorUsableUntilMounted() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            for name in ["one", "two"] { _ = try await fake.ecr("CreateRepository", object: ["repositoryName": name]) }
            let registry = try await RegistryClient.login(fake)
            let pushed = try await registry.pushImage("one", tag: "v1", seed: "one")
            let digests = ImageDescriptors.digests(of: pushed.manifest)
            let layer = try #require(digests.last)

            expectRegistryError(try await registry.send("GET", "/v2/two/blobs/\(layer)"), 404, "BLOB_UNKNOWN")
            #expect(try await registry.send("HEAD", "/v2/two/blobs/\(layer)").status == 404)
            let put = try await registry.send("PUT", "/v2/two/manifests/v1", headers: [("Content-Type", ociManifestType)], body: Data(pushed.manifest.utf8))
            expectRegistryError(put, 400, "MANIFEST_BLOB_UNKNOWN")
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "two", "imageManifest": pushed.manifest, "imageTag": "v1"]),
                "LayersNotFoundException", messageContains: "required for pushing image into repository with name 'two' in registry with id '123456789012' do not exist")

            // With BLOB_MOUNTING enabled, a mount from a repository of the same registry that holds
            // the blob makes it visible.
            _ = try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING", "value": "ENABLED"])
            for digest in digests {
                let mount = try await registry.send("POST", "/v2/two/blobs/uploads/?mount=\(digest)&from=one")
                #expect(mount.status == 201, "\(mount.text)")
            }
            #expect(try await registry.send("GET", "/v2/two/blobs/\(layer)").status == 200)
            #expect(try await registry.send("PUT", "/v2/two/manifests/v1", headers: [("Content-Type", ociManifestType)], body: Data(pushed.manifest.utf8)).status == 201)

            // A mount from a repository that does not hold the blob is a plain upload (202).
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "three"])
            #expect(try await registry.send("POST", "/v2/three/blobs/uploads/?mount=\(layer)&from=nope").status == 202)
        }
    }

    @Test func anotherAccountsLayerStaysTheirs() async throws {
        var configuration = TestFakeECR.configuration()
        configuration.accounts = AccountIsolationTests.accounts
        configuration.authMode = .sigv4
        try await TestFakeECR.with(configuration) { fake in
            let alice = SignedCaller(fake, key: "AKIAACCOUNTA00000001", secret: "alice-secret")
            let bob = SignedCaller(fake, key: "AKIAACCOUNTB00000001", secret: "bob-secret")
            for caller in [alice, bob] { _ = try await caller.ecr("PutAccountSetting", ["name": "BLOB_MOUNTING", "value": "ENABLED"]) }
            #expect(try await bob.ecr("CreateRepository", ["repositoryName": "private"]).status == 200)
            #expect(try await alice.ecr("CreateRepository", ["repositoryName": "private"]).status == 200)
            let theirs = try await bob.registry().pushImage("private", tag: "v1", seed: "secret")
            let layer = try #require(ImageDescriptors.digests(of: theirs.manifest).last)

            let mine = try await alice.registry()
            expectRegistryError(try await mine.send("GET", "/v2/private/blobs/\(layer)"), 404, "BLOB_UNKNOWN")
            expectRegistryError(
                try await mine.send("PUT", "/v2/private/manifests/stolen", headers: [("Content-Type", ociManifestType)], body: Data(theirs.manifest.utf8)),
                400, "MANIFEST_BLOB_UNKNOWN")
            // "from" names a repository of the password's registry: alice's own, which lacks the blob.
            #expect(try await mine.send("POST", "/v2/private/blobs/uploads/?mount=\(layer)&from=private").status == 202)
            expectECRError(
                try await alice.ecr("PutImage", ["repositoryName": "private", "imageManifest": theirs.manifest, "imageTag": "stolen"]), "LayersNotFoundException")
        }
    }
}
