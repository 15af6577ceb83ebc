import ECRWire
import Foundation
import Hummingbird
import Testing

@testable import FakeECR

/// `JSONValueDecoder` decodes ECR's inputs from the body as already read; whatever it decodes,
/// JSONDecoder must decode from the text to the same value, and it must decode the lab's requests.
@Suite struct JSONValueDecoderTests {
    static let reference: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    static let bodies: [String] = [
        #"{"repositoryName":"lab/app"}"#, #"{"repositoryName":"lab/app","registryId":"123456789012","maxResults":50}"#,
        #"{"repositoryName":"lab/app","maxResults":5.0}"#, #"{"repositoryName":"lab/app","maxResults":5e1}"#,
        #"{"repositoryName":"lab/app","maxResults":5.5}"#, #"{"repositoryName":"lab/app","maxResults":-0}"#,
        #"{"repositoryName":"lab/app","maxResults":9007199254740993}"#, #"{"repositoryName":"lab/app","maxResults":1e300}"#,
        #"{"repositoryName":"lab/app","maxResults":"50"}"#, #"{"repositoryName":"lab/app","maxResults":null}"#,
        #"{"repositoryName":null}"#, #"{"repositoryName":5}"#, #"{}"#, #"[]"#, #""lab""#, "null", #"{"repositoryName":"a","repositoryName":"b"}"#,
        #"{"repositoryName":"lab/app","imageIds":[{"imageTag":"v1"},{"imageDigest":"sha256:00"}]}"#,
        #"{"repositoryName":"lab/app","imageIds":[{"imageTag":"v1"},null]}"#, #"{"repositoryName":"lab/app","imageIds":{}}"#,
        #"{"repositoryName":"lab/app","imageIds":[]}"#, #"{"repositoryName":"lab/app","filter":{"tagStatus":"TAGGED"}}"#,
        #"{"repositoryName":"lab/app","filter":{"tagStatus":"SOMETHING_NEW"}}"#, #"{"repositoryName":"lab/app","filter":{"tagStatus":1}}"#,
        #"{"repositoryName":"lab/app","imageTagMutability":"IMMUTABLE","tags":[{"Key":"k","Value":"v"}],"imageScanningConfiguration":{"scanOnPush":true}}"#,
        #"{"repositoryName":"lab/app","imageScanningConfiguration":{"scanOnPush":1}}"#, #"{"repositoryName":"lab/app","tags":[{"Key":"k"}]}"#,
        #"{"repositoryName":"lab/app","imageManifest":"{\"schemaVersion\":2}","imageTag":"v1"}"#, #"{"repositoryName":"lab/app","imageManifest":""}"#,
        #"{"repositoryName":"lab/app","acceptedMediaTypes":["a","b"],"imageIds":[{"imageTag":"latest"}]}"#,
        #"{"repositoryName":"é☃😀 \u0000 \/"}"#, #"{"repositoryName":"lab/app","unknown":{"deep":[1,2,{"x":null}]}}"#,
    ]

    /// One input type's two decodings of `text`: the fast one (nil when it leaves the text to JSONDecoder) and JSONDecoder's.
    static func compare<T: Decodable & Equatable>(_ type: T.Type, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let bytes = Data(text.utf8)
        let expected = try? reference.decode(type, from: bytes)
        guard let parsed = JSONValue(json: bytes), let fast = try? JSONValueDecoder.decode(type, from: parsed) else { return false }
        #expect(expected == fast, "\(T.self) from \(text)", sourceLocation: sourceLocation)
        return true
    }

    static func compareAll(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        [
            compare(DescribeRepositoriesRequest.self, text, sourceLocation: sourceLocation),
            compare(ListImagesRequest.self, text, sourceLocation: sourceLocation),
            compare(DescribeImagesRequest.self, text, sourceLocation: sourceLocation),
            compare(CreateRepositoryRequest.self, text, sourceLocation: sourceLocation),
            compare(PutImageRequest.self, text, sourceLocation: sourceLocation),
            compare(BatchGetImageRequest.self, text, sourceLocation: sourceLocation),
            compare(DescribePullThroughCacheRulesRequest.self, text, sourceLocation: sourceLocation),
            compare([String: JSONValue].self, text, sourceLocation: sourceLocation),
        ].filter { $0 }.count
    }

    @Test("whatever it decodes, JSONDecoder decodes the same", arguments: bodies)
    func corpus(text: String) {
        _ = Self.compareAll(text)
    }

    @Test("it decodes the lab's requests itself")
    func decodesTheLabsRequests() throws {
        let describe = try JSONValueDecoder.decode(DescribeImagesRequest.self, from: #require(JSONValue(json: Data(#"{"repositoryName":"lab/app","imageIds":[{"imageTag":"v1"},{"imageDigest":"sha256:00"}]}"#.utf8))))
        #expect(describe.imageIds == [ImageIdentifier(imageTag: "v1"), ImageIdentifier(imageDigest: "sha256:00")])
        let listed = try JSONValueDecoder.decode(ListImagesRequest.self, from: #require(JSONValue(json: Data(#"{"repositoryName":"lab/app","maxResults":5.0}"#.utf8))))
        #expect(listed.maxResults == 5)
        let created = try JSONValueDecoder.decode(CreateRepositoryRequest.self, from: #require(JSONValue(json: Data(#"{"repositoryName":"lab/app","imageTagMutability":"IMMUTABLE","tags":[{"Key":"k","Value":"v"}],"imageScanningConfiguration":{"scanOnPush":true}}"#.utf8))))
        #expect(created.imageTagMutability == .immutable && created.tags == [Tag(key: "k", value: "v")] && created.imageScanningConfiguration?.scanOnPush == true)
        #expect(throws: JSONValueDecoder.Unsupported.self) { try JSONValueDecoder.decode(ListImagesRequest.self, from: .object([:])) }
    }

    /// Every body with one byte changed: the fast decoding, when there is one, is JSONDecoder's.
    @Test("one-byte mutations of the corpus decode as JSONDecoder decodes them")
    func mutations() {
        var generator = SplitMix64(seed: 42)
        let alphabet: [UInt8] = Array(#"{}[]:,"\ -+.eE0123456789tfnul"#.utf8)
        var decoded = 0
        for _ in 0..<600 {
            var bytes = Array(Self.bodies[Int.random(in: 0..<Self.bodies.count, using: &generator)].utf8)
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            decoded += Self.compareAll(String(decoding: bytes, as: UTF8.self))
        }
        #expect(decoded > 100)
    }

    /// The fake's decoding: the same input, or the same refusal (ECR's message), as JSONDecoder alone gives.
    @Test("ECRJSON.decode answers as JSONDecoder alone does, refusals included", arguments: bodies)
    func ecrJSON(text: String) {
        let body = ByteBuffer(string: text)
        func outcome<T: Decodable & Equatable>(_ type: T.Type) -> String {
            let fast = Result { try ECRJSON.decode(type, from: body, parsed: JSONValue(json: Data(text.utf8))) }
            let slow = Result { try ECRJSON.decode(type, from: body, parsed: nil) }
            switch (fast, slow) {
            case (.success(let fast), .success(let slow)): return fast == slow ? "same" : "\(fast) vs \(slow)"
            case (.failure(let fast), .failure(let slow)): return "\(fast)" == "\(slow)" ? "same" : "\(fast) vs \(slow)"
            default: return "\(fast) vs \(slow)"
            }
        }
        #expect(outcome(ListImagesRequest.self) == "same")
        #expect(outcome(CreateRepositoryRequest.self) == "same")
        #expect(outcome(BatchGetImageRequest.self) == "same")
    }
}
