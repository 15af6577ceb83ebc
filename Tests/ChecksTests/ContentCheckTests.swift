import Checks
import Crypto
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// `sameAs`: an image step passes on content (the upstream's index, a platform manifest, or a
/// platform config), judged against the pins; without pins, by tag with "content not verified".
@Suite("Content checks (sameAs)")
struct ContentCheckTests {
    static let nginx = "public.ecr.aws/nginx/nginx"
    static let amd64Manifest = "sha256:44ee9d644642f8e565a95476874af0e75bb5557371b72df304e4507ea126a32a"
    static let index = "sha256:3d9e664557f01c11257842ddd4c4267691d1b7c355f87d7bccf938ca25c3639f"
    static let amd64Config = "sha256:f4f67c5832e8ea211c207bac41c20b22694daf5269e687d7ed8e76f4ad62ff42"

    /// A blob of the fixture OCI layout of public.ecr.aws, as text.
    static func upstreamBlob(_ digest: String) throws -> String {
        let url = RepositoryFiles.root.appendingPathComponent("fixtures/upstream/public.ecr.aws/blobs/sha256/\(digest.dropFirst(7))")
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func digest(_ text: String) -> String {
        "sha256:" + SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// An OCI image manifest with this config and one layer.
    static func manifest(config: String, layer: String) -> String {
        #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(config)","size":300},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(layer)","size":200}]}"#
    }

    /// Grades only image-nginx (with its repository step) against a fake whose nginx repository holds `manifest` as 1.27.
    func gradeNginx(manifest text: String, pins: UpstreamPins?) async throws -> StepResult {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        let image: [String: Any] = ["imageDigest": Self.digest(text), "imageTags": ["1.27"], "imageManifest": text]
        let state: [String: Any] = ["schemaVersion": 1, "registries": [[
            "accountId": TestFakeECR.accountId, "region": TestFakeECR.region,
            "repositories": [["repositoryName": Self.nginx, "images": [image]]],
        ]]]
        let document = try StateDocument.parse(try JSONSerialization.data(withJSONObject: state), file: "test state")
        return try await TestFakeECR.with { fake in
            try await fake.server.loadState(document)
            let result = try await AccountGrader(spec: spec, phase: .build, ledgers: MemoryLedgerStore(), pins: pins).grade(fake.clients())
            return try #require(result.steps.first { $0.id == "image-nginx" })
        }
    }

    static func pins() throws -> UpstreamPins { try PinsFile.read(RepositoryFiles.fixturePins, labId: "ecr-lab") }

    @Test("the upstream's platform manifest, pushed unchanged (docker, skopeo): passes, verified")
    func platformManifest() async throws {
        let step = try await gradeNginx(manifest: try Self.upstreamBlob(Self.amd64Manifest), pins: try Self.pins())
        #expect(step.status == .passed, "\(step.message.en)")
        #expect(step.content?.verified == true)
        #expect(step.content?.detail.en == "manifest digest is the upstream's linux/amd64 manifest")
    }

    @Test("the multi-arch index pushed whole: passes, verified")
    func wholeIndex() async throws {
        let step = try await gradeNginx(manifest: try Self.upstreamBlob(Self.index), pins: try Self.pins())
        #expect(step.status == .passed, "\(step.message.en)")
        #expect(step.content?.verified == true)
        #expect(step.content?.detail.en.contains("index pushed whole") == true, "\(step.content?.detail.en ?? "")")
    }

    @Test("re-compressed layers (podman) keep the config digest: passes, verified through the config")
    func recompressed() async throws {
        let text = Self.manifest(config: Self.amd64Config, layer: "sha256:" + String(repeating: "c", count: 64))
        let step = try await gradeNginx(manifest: text, pins: try Self.pins())
        #expect(step.status == .passed, "\(step.message.en)")
        #expect(step.content?.detail.en == "config digest is the upstream's linux/amd64 image (its manifest was rewritten on push)")
    }

    @Test("another image under the right tag fails, naming the config and the upstream's platforms")
    func differentImage() async throws {
        let other = "sha256:" + String(repeating: "d", count: 64)
        let step = try await gradeNginx(manifest: Self.manifest(config: other, layer: "sha256:" + String(repeating: "e", count: 64)), pins: try Self.pins())
        #expect(step.status == .failed)
        #expect(step.message.en == "public.ecr.aws/nginx/nginx:1.27 here is not nginx 1.27 from public.ecr.aws: config \(other) is none of the upstream's linux/amd64, linux/arm64 configs")
        #expect(step.earned == 0)
    }

    @Test("an image built with only the right tag and an empty layer fails")
    func emptyImage() async throws {
        let empty = "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
        let config = Self.digest("{}")
        let step = try await gradeNginx(manifest: Self.manifest(config: config, layer: empty), pins: try Self.pins())
        #expect(step.status == .failed)
        #expect(step.message.en.contains("is not nginx 1.27 from public.ecr.aws"), "\(step.message.en)")
    }

    @Test("no pins: graded by tag, and the result says content not verified")
    func noPins() async throws {
        let other = Self.manifest(config: "sha256:" + String(repeating: "d", count: 64), layer: "sha256:" + String(repeating: "e", count: 64))
        let step = try await gradeNginx(manifest: other, pins: nil)
        #expect(step.status == .passed)
        #expect(step.content?.verified == false)
        #expect(step.content?.detail.en == "content not verified: no pins for public.ecr.aws/nginx/nginx:1.27, graded by tag only")
    }

    @Test("a pass kept in the ledger keeps its content verdict")
    func ledgerKeepsVerdict() async throws {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        let ledger = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: ledger) }
        try await TestFakeECR.with { fake in
            try await fake.load(state: "complete")
            _ = try await fake.grade(spec, ledgerDirectory: ledger)
            try await fake.load(state: "fresh")
            let later = try await fake.grade(spec, ledgerDirectory: ledger)
            let step = try #require(later.steps.first { $0.id == "image-nginx" })
            #expect(step.passedEarlier)
            #expect(step.content?.verified == true)
        }
    }

    @Test("the spec refuses a sameAs that is no image reference, naming file, line and field")
    func badReference() throws {
        let text = try String(contentsOf: RepositoryFiles.labSpec, encoding: .utf8)
            .replacingOccurrences(of: "sameAs: public.ecr.aws/nginx/nginx:1.27", with: "sameAs: nginx")
        #expect {
            try SpecLoader.parse(text, file: "ecr-lab.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("ecr-lab.yaml:") && text.contains("sameAs") && text.contains("'nginx' is not an upstream image reference")
        }
    }
}
