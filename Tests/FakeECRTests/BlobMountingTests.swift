import ECRWire
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// Cross-repository blob mounts as ECR allows them: only when the registry's account setting
/// BLOB_MOUNTING is ENABLED and the client asks (`mount`/`from`), never for pull through cache
/// repositories, and only between repositories of the same encryption
/// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/blob-mounting.html). A refused mount is a
/// plain upload session (202), and the client uploads the bytes.
@Suite("Blob mounting and account settings", .serialized)
struct BlobMountingTests {
    static func setting(_ fake: TestFakeECR, _ name: String) async throws -> String? {
        try await fake.ecr("GetAccountSetting", object: ["name": name]).json["value"] as? String
    }

    static func mount(_ registry: RegistryClient, _ digest: String, from: String, into name: String) async throws -> Int {
        try await registry.send("POST", "/v2/\(name)/blobs/uploads/?mount=\(digest)&from=\(from)").status
    }

    @Test func accountSettingsHaveDefaultsAndRefuseUnknownNamesAndValues() async throws {
        try await TestFakeECR.with { fake in
            #expect(try await Self.setting(fake, "BLOB_MOUNTING") == "DISABLED")
            #expect(try await Self.setting(fake, "BASIC_SCAN_TYPE_VERSION") == "AWS_NATIVE")
            #expect(try await Self.setting(fake, "REGISTRY_POLICY_SCOPE") == "V2")
            let put = try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING", "value": "ENABLED"])
            #expect(put.status == 200, "\(put.text)")
            #expect(put.json["name"] as? String == "BLOB_MOUNTING" && put.json["value"] as? String == "ENABLED")
            #expect(try await Self.setting(fake, "BLOB_MOUNTING") == "ENABLED")
            _ = try await fake.ecr("PutAccountSetting", object: ["name": "REGISTRY_POLICY_SCOPE", "value": "V1"])
            #expect(try await Self.setting(fake, "REGISTRY_POLICY_SCOPE") == "V1")

            expectECRError(
                try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING", "value": "YES"]), "InvalidParameterException",
                messageContains: "expected one of [ENABLED, DISABLED]")
            expectECRError(try await fake.ecr("GetAccountSetting", object: ["name": "NO_SUCH_SETTING"]), "InvalidParameterException", messageContains: "BLOB_MOUNTING")
            expectECRError(try await fake.ecr("GetAccountSetting", object: ["name": ""]), "ValidationException", messageContains: "between 1 and 64")
            expectECRError(try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING"]), "ValidationException", messageContains: "'value'")
            // Settings belong to one registry: another region's is untouched.
            let other = try await fake.ecr("GetAccountSetting", #"{"name":"BLOB_MOUNTING"}"#, region: "us-west-2")
            #expect(other.json["value"] as? String == "DISABLED", "\(other.text)")
        }
    }

    @Test func aMountIsHonouredOnlyWhileBlobMountingIsEnabled() async throws {
        try await TestFakeECR.with { fake in
            for name in ["one", "two"] { _ = try await fake.ecr("CreateRepository", object: ["repositoryName": name]) }
            let registry = try await RegistryClient.login(fake)
            let pushed = try await registry.pushImage("one", tag: "v1", seed: "mount")
            let digests = ImageDescriptors.digests(of: pushed.manifest)
            let layer = try #require(digests.last)

            #expect(try await Self.mount(registry, layer, from: "one", into: "two") == 202, "BLOB_MOUNTING is DISABLED by default")
            expectRegistryError(try await registry.send("GET", "/v2/two/blobs/\(layer)"), 404, "BLOB_UNKNOWN")

            _ = try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING", "value": "ENABLED"])
            for digest in digests { #expect(try await Self.mount(registry, digest, from: "one", into: "two") == 201) }
            #expect(try await registry.send("GET", "/v2/two/blobs/\(layer)").status == 200)
            let put = try await fake.ecr("PutImage", object: ["repositoryName": "two", "imageManifest": pushed.manifest, "imageTag": "v1"])
            #expect(put.status == 200, "\(put.text)")

            // Disabling it again refuses new mounts; layers mounted before stay (as ECR documents).
            _ = try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING", "value": "DISABLED"])
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "three"])
            #expect(try await Self.mount(registry, layer, from: "one", into: "three") == 202)
            #expect(try await registry.send("GET", "/v2/two/blobs/\(layer)").status == 200)
        }
    }

    @Test func noMountForPullThroughCacheRepositoriesOrAcrossEncryptions() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING", "value": "ENABLED"])
            let rule = try await fake.ecr("CreatePullThroughCacheRule", object: ["ecrRepositoryPrefix": "ecr-public", "upstreamRegistryUrl": "public.ecr.aws"])
            #expect(rule.status == 200, "\(rule.text)")
            for name in ["one", "two", "ecr-public/team/app"] { _ = try await fake.ecr("CreateRepository", object: ["repositoryName": name]) }
            let kms = try await fake.ecr(
                "CreateRepository", object: ["repositoryName": "sealed", "encryptionConfiguration": ["encryptionType": "KMS", "kmsKey": "arn:aws:kms:ap-northeast-1:123456789012:key/one"]])
            #expect(kms.status == 200, "\(kms.text)")
            let registry = try await RegistryClient.login(fake)
            let plain = try #require(ImageDescriptors.digests(of: try await registry.pushImage("one", tag: "v1", seed: "plain").manifest).last)
            let cached = try #require(ImageDescriptors.digests(of: try await registry.pushImage("ecr-public/team/app", tag: "v1", seed: "cached").manifest).last)

            #expect(try await Self.mount(registry, cached, from: "ecr-public/team/app", into: "two") == 202, "from a pull through cache repository")
            #expect(try await Self.mount(registry, plain, from: "one", into: "ecr-public/team/app") == 202, "into a pull through cache repository")
            #expect(try await Self.mount(registry, plain, from: "one", into: "sealed") == 202, "AES256 into KMS")
            #expect(try await Self.mount(registry, plain, from: "one", into: "two") == 201)
        }
    }

    @Test func theSettingIsPartOfTheStateDocument() async throws {
        try await TestFakeECR.with(AdminStateTests.admin(TestFakeECR.configuration())) { fake in
            let document = #"{"schemaVersion":1,"registries":[{"accountSettings":{"BLOB_MOUNTING":"ENABLED"}}]}"#
            let loaded = try await fake.send("PUT", "/_fake/state", body: Data(document.utf8))
            #expect(loaded.status == 200, "\(loaded.text)")
            #expect(try await Self.setting(fake, "BLOB_MOUNTING") == "ENABLED")
            let exported = try await fake.send("GET", "/_fake/state").text
            #expect(exported.contains(#""BLOB_MOUNTING" : "ENABLED""#), "\(exported)")

            let wrong = #"{"schemaVersion":1,"registries":[{"accountSettings":{"BLOB_MOUNTING":"ON"}}]}"#
            let refused = try await fake.send("PUT", "/_fake/state", body: Data(wrong.utf8))
            #expect(refused.status == 400)
            #expect(refused.text.contains("$.registries[0].accountSettings.BLOB_MOUNTING"), "\(refused.text)")
        }
    }

    @Test func settingsSurviveARestartWithADataDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = TestFakeECR.configuration()
        configuration.dataDirectory = directory
        try await TestFakeECR.with(configuration) { fake in
            _ = try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING", "value": "ENABLED"])
            _ = try await fake.ecr("PutRegistryPolicy", object: ["policyText": RegistrySettingsTests.replicate])
        }
        try await TestFakeECR.with(configuration) { fake throws in
            #expect(try await Self.setting(fake, "BLOB_MOUNTING") == "ENABLED")
            #expect(try await fake.ecr("GetRegistryPolicy").json["policyText"] as? String == RegistrySettingsTests.replicate)
        }
    }

    @Test(.enabled(if: ExternalTool.available("aws") || ExternalTool.required, "the AWS CLI is not installed (pip install awscli)"))
    func theAWSCLIPutsAndGetsAccountSettings() async throws {
        try ExternalTool.require("aws")
        try await TestFakeECR.with { fake in
            let cli = TrailAWSCLITests.Lab(fake: fake)
            let before = try await cli.aws(["ecr", "get-account-setting", "--name", "BLOB_MOUNTING", "--output", "text"])
            #expect(before.trimmingCharacters(in: .whitespacesAndNewlines) == "BLOB_MOUNTING\tDISABLED")
            try await cli.aws(["ecr", "put-account-setting", "--name", "BLOB_MOUNTING", "--value", "ENABLED"])
            let after = try await cli.aws(["ecr", "get-account-setting", "--name", "BLOB_MOUNTING", "--query", "value", "--output", "text"])
            #expect(after.trimmingCharacters(in: .whitespacesAndNewlines) == "ENABLED")
        }
    }

    /// skopeo copies an image between two repositories of the fake. With BLOB_MOUNTING disabled it
    /// must upload every blob again (CompleteLayerUpload in the trail); once it is enabled, skopeo
    /// mounts each layer its blob info cache knows to be in the source repository (it learnt that
    /// when it pushed the image there) and uploads only the config, which containers/image never
    /// tries to reuse.
    @Test(.enabled(if: ExternalTool.available("skopeo") || ExternalTool.required, "skopeo is not installed (apt-get install skopeo)"))
    func skopeoMountsLayersOnlyWhenBlobMountingIsEnabled() async throws {
        try ExternalTool.require("skopeo")
        try await TestFakeECR.with { fake in
            for name in ["source", "copy-disabled", "copy-enabled"] { _ = try await fake.ecr("CreateRepository", object: ["repositoryName": name]) }
            let password = try await RegistryClient.password(fake)
            let host = "127.0.0.1:\(fake.server.port)"
            // A blob info cache of its own for a non-root run (root's is /var/lib/containers/cache,
            // whose entries are per registry host and port, so an earlier run's fake is another registry).
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("skopeo-mount-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: home) }
            let environment = ["HOME": home.path, "XDG_DATA_HOME": home.path]
            // A fixture image (gzip layers, as real images have) copied in with skopeo.
            let seeded = try await BoundedProcess.run(
                [
                    "skopeo", "--insecure-policy", "copy", "--dest-creds", "AWS:\(password)", "--dest-tls-verify=false",
                    "oci:\(RegistryFixtures.publicECR.path):nginx/nginx:1.27", "docker://\(host)/source:v1",
                ], environment: environment, timeout: 120)
            try #require(seeded.status == 0, "skopeo copy in: \(seeded.summary)")
            let raw = try await fake.ecr("BatchGetImage", object: ["repositoryName": "source", "imageIds": [["imageTag": "v1"]]])
            let manifest = try #require((raw.json["images"] as? [[String: Any]])?.first?["imageManifest"] as? String, "\(raw.text)")
            let pushed = (manifest: manifest, digest: sha256(Data(manifest.utf8)))
            let blobCount = ImageDescriptors.digests(of: pushed.manifest).count
            try #require(blobCount > 1, "a config and at least one layer")
            func copy(to name: String) async throws {
                let result = try await BoundedProcess.run(
                    [
                        "skopeo", "--insecure-policy", "copy", "--src-creds", "AWS:\(password)", "--dest-creds", "AWS:\(password)",
                        "--src-tls-verify=false", "--dest-tls-verify=false", "docker://\(host)/source:v1", "docker://\(host)/\(name):v1",
                    ], environment: environment, timeout: 120)
                #expect(result.status == 0, "skopeo copy to \(name): \(result.summary)")
            }
            func uploads(into name: String) async -> Int {
                await fake.server.trail(accountId: TestFakeECR.accountId, region: TestFakeECR.region).filter {
                    $0.eventName == "CompleteLayerUpload" && $0.requestParameters?["repositoryName"]?.stringValue == name
                }.count
            }

            try await copy(to: "copy-disabled")
            #expect(await uploads(into: "copy-disabled") == blobCount, "every blob uploaded again while mounting is disabled")

            #expect(try await fake.ecr("PutAccountSetting", object: ["name": "BLOB_MOUNTING", "value": "ENABLED"]).status == 200)
            try await copy(to: "copy-enabled")
            #expect(await uploads(into: "copy-enabled") == 1, "the layers mounted from source, only the config uploaded")

            for name in ["copy-disabled", "copy-enabled"] {
                let described = try await fake.ecr("DescribeImages", object: ["repositoryName": name])
                #expect((described.json["imageDetails"] as? [[String: Any]])?.first?["imageDigest"] as? String == pushed.digest, "\(described.text)")
            }
            // The mounted layers are served from the new repository.
            let registry = try await RegistryClient.login(fake)
            for digest in ImageDescriptors.digests(of: pushed.manifest) {
                #expect(try await registry.send("HEAD", "/v2/copy-enabled/blobs/\(digest)").status == 200, "\(digest)")
            }
        }
    }
}
