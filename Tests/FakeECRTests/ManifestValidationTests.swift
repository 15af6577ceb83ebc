import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// A manifest must have the shape its media type requires before either plane stores it, and the
/// registry host a request names is compared once normalised.
@Suite("Manifest shape and registry host checks")
struct ManifestValidationTests {
    static func manifest(config: String, layers: String) -> String {
        #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(config),"layers":\#(layers)}"#
    }

    @Test func aManifestOfTheWrongShapeIsRefusedByBothPlanes() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            let registry = try await RegistryClient.login(fake)
            let config = Data(#"{"os":"linux"}"#.utf8)
            let configDigest = try await registry.pushBlob("app", config)
            let good = #"{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","size":\#(config.count)}"#
            let malformed: [String: String] = [
                "layers not an array": Self.manifest(config: good, layers: #""x""#),
                "layers missing": #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(good)}"#,
                "a layer without mediaType": Self.manifest(config: good, layers: #"[{"digest":"\#(configDigest)","size":1}]"#),
                "a layer whose size is text": Self.manifest(config: good, layers: #"[{"mediaType":"x","digest":"\#(configDigest)","size":"1"}]"#),
                "config not a descriptor": Self.manifest(config: #""x""#, layers: "[]"),
                "config without digest": Self.manifest(config: #"{"mediaType":"x","size":1}"#, layers: "[]"),
                "index manifests not an array": #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":"x"}"#,
                "index entry without size": #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"x","digest":"\#(configDigest)"}]}"#,
            ]
            for (what, text) in malformed.sorted(by: { $0.key < $1.key }) {
                expectECRError(
                    try await fake.ecr("PutImage", object: ["repositoryName": "app", "imageManifest": text, "imageTag": "bad"]), "InvalidParameterException",
                    messageContains: "Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Invalid JSON syntax'")
                let type = text.contains("index") ? ociIndexType : ociManifestType
                let put = try await registry.send("PUT", "/v2/app/manifests/bad", headers: [("Content-Type", type)], body: Data(text.utf8))
                expectRegistryError(put, 400, "MANIFEST_INVALID")
                #expect(put.status == 400, "\(what)")
            }
            let images = try await fake.ecr("ListImages", object: ["repositoryName": "app"])
            #expect((images.json["imageIds"] as? [Any])?.isEmpty == true, "nothing was stored: \(images.text)")
            // The well-formed manifest with no layers is fine.
            #expect(try await fake.ecr("PutImage", object: ["repositoryName": "app", "imageManifest": Self.manifest(config: good, layers: "[]"), "imageTag": "ok"]).status == 200)
        }
    }

    @Test func theRegistryHostIsComparedNormalised() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let registry = try await RegistryClient.login(fake)
            let other = "111122223333.dkr.ecr.us-east-1.amazonaws.com"
            for host in [other + ".", other.uppercased() + ".", other + ".:443", other + ":5000", other + "..", "[::1]"] {
                let answer = try await fake.send("GET", "/v2/", headers: [registry.authorization, ("Host", host)])
                if host == "[::1]" {
                    #expect(answer.status == 200, "\(host): \(answer.text)")
                } else {
                    expectRegistryError(answer, 403, "DENIED", messageContains: "does not grant access")
                }
            }
            let own = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
            for host in [own, own + ".", own.uppercased() + ":443"] {
                #expect(try await fake.send("GET", "/v2/", headers: [registry.authorization, ("Host", host)]).status == 200, "\(host)")
            }
        }
    }
}
