import Foundation
import Testing

import ECRWire

@testable import FakeECR

/// `ImageManifest.parse` reads a manifest from its parsed JSON; it must read every manifest as
/// `ImageManifest.decoded` (JSONDecoder, `init(from:)`) does: leniency, well-formedness, and sizes
/// that a double cannot hold (those it leaves to the decoder).
@Suite struct ImageManifestParsingTests {
    static let layer = #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:aa","size":1}"#
    static let config = #"{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:cc","size":7}"#

    static func image(config: String = config, layers: String = "[\(layer)]", extra: String = "") -> String {
        #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":\#(config),"layers":\#(layers)\#(extra)}"#
    }

    static let manifests: [String] = [
        image(), image(extra: #","subject":{"mediaType":"m","digest":"sha256:ss","size":3},"artifactType":"a/b","annotations":{"k":"v"}"#),
        #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#,
        #"{"schemaVersion":2,"manifests":[{"mediaType":"m","digest":"sha256:01","size":10,"platform":{"os":"linux"}},{"digest":"d","size":2.5}]}"#,
        #"{"schemaVersion":1,"name":"x","tag":"y","fsLayers":[{"blobSum":"sha256:00"}]}"#, "{}", "[]", #""text""#, "7", "null", "{", "",
        // Sizes: integral of every magnitude, fractional, negative, not numbers.
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":9007199254740992"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":9007199254740993"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":\#(Int64.max)"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":9223372036854775808"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":1e19"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":-1e19"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":9007199254740993.0"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":2.5"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":-2.5"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":1.99999999999999999"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":1e3"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":1e-400"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":-0"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":"1""#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":null"#))]"),
        image(layers: "[\(layer.replacingOccurrences(of: #""size":1"#, with: #""size":true"#))]"),
        image(config: config.replacingOccurrences(of: #""size":7"#, with: #""size":1e300"#)),
        // Members of the wrong type, null, repeated, absent.
        image(config: "null"), image(config: #""c""#), image(config: "[]"), image(layers: "null"), image(layers: "{}"), image(layers: #"[1]"#),
        image(layers: "[\(layer),null]"), image(layers: "[\(layer),\(layer.replacingOccurrences(of: #""digest":"sha256:aa""#, with: #""digest":5"#))]"),
        image(extra: #","annotations":{"k":1}"#), image(extra: #","annotations":{"k":null}"#), image(extra: #","annotations":null"#),
        image(extra: #","layers":[]"#), image(extra: #","config":null"#), image(extra: #","urls":[]"#),
        image(layers: #"[{"mediaType":"m","digest":"d","size":1,"urls":["https://x"]},{"mediaType":7,"digest":null,"size":1}]"#),
        #"{"schemaVersion":2.0,"manifests":[]}"#, #"{"schemaVersion":"2","manifests":[]}"#, #"{"schemaVersion":2.5,"manifests":[]}"#,
        #"{"schemaVersion":9007199254740993,"manifests":[]}"#, #"{"schemaVersion":null,"config":{}}"#, #"{"mediaType":null,"manifests":null}"#,
        #"{"schemaVersion":2,"schemaVersion":1,"manifests":[],"manifests":5}"#,
    ]

    @Test("reads every manifest of the corpus as JSONDecoder does", arguments: manifests)
    func corpus(text: String) {
        let data = Data(text.utf8)
        #expect(ImageManifest.parse(data) == ImageManifest.decoded(data))
    }

    @Test("an ordinary manifest is read from its parsed JSON; a size a double cannot hold is left to the decoder")
    func fastPathTaken() throws {
        for text in [Self.manifests[0], Self.manifests[1], Self.manifests[3]] {
            guard case .object(let members)? = JSONValue(json: Data(text.utf8)) else { Issue.record("not an object: \(text)"); continue }
            #expect(ImageManifest(members: members) != nil, "\(text)")
        }
        let large = Self.image(layers: "[\(Self.layer.replacingOccurrences(of: #""size":1"#, with: #""size":\#(Int64.max)"#))]")
        guard case .object(let members)? = JSONValue(json: Data(large.utf8)) else { Issue.record("not an object"); return }
        #expect(ImageManifest(members: members) == nil)
        #expect(ImageManifest.parse(Data(large.utf8))?.sizeInBytes(manifestByteCount: 0) == Int64.max)
    }

    @Test("one-byte mutations of manifests read as JSONDecoder reads them")
    func mutations() {
        var generator = SplitMix64(seed: 53)
        let alphabet: [UInt8] = Array(#"{}[]:,"\ -+.eE0123456789abtrufnlsu"#.utf8) + [0x00, 0xC3, 0xFF]
        for _ in 0..<3_000 {
            var bytes = Array((Self.manifests.randomElement(using: &generator) ?? "{}").utf8)
            guard !bytes.isEmpty else { continue }
            for _ in 0..<Int.random(in: 1...2, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            }
            let data = Data(bytes)
            #expect(ImageManifest.parse(data) == ImageManifest.decoded(data), "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }
}
