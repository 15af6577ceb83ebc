import Foundation
import Testing

@testable import ECRWire
@testable import FakeECR

/// `StreamingJSONEncoder` must write what JSONEncoder (dates as seconds since 1970) writes: the same
/// JSON, members in any order; where it cannot, it leaves the value to JSONEncoder.
@Suite struct StreamingJSONEncoderTests {
    static let reference: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    /// Both encoders' JSON of `value`, read back (members of objects compare unordered).
    static func agree<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let streamed = try StreamingJSONEncoder.bytes(of: value)
        let expected = try reference.encode(value)
        #expect(JSONValue(json: Data(streamed)) != nil, "not JSON: \(String(decoding: streamed, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(
            JSONValue(json: Data(streamed)) == JSONValue(json: expected),
            "\(String(decoding: streamed, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    /// Arrays keep their order in both, so their bytes must be the same: numbers and strings as JSONEncoder formats them.
    @Test("numbers and strings are written byte for byte as JSONEncoder writes them")
    func scalarsByteForByte() throws {
        var generator = SplitMix64(seed: 2026)
        var doubles: [Double] = [0, -0.0, 1, -1, 0.1, 1e20, 1e21, 1e-7, 123456.789, 1_733_222_400.123, .ulpOfOne, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for _ in 0..<500 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &generator)
            let value = Double(bitPattern: bits)
            if value.isFinite { doubles.append(value) }
            doubles.append(Double(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator)) / 1000)
        }
        var strings = ["", "lab/app", "é☃😀", "quote \" backslash \\ slash /", "\u{7F}\u{2028}\u{FEFF}"]
        strings.append(String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self))
        for _ in 0..<200 {
            let scalars = (0..<Int.random(in: 0..<12, using: &generator)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: 0..<(Bool.random(using: &generator) ? 0x80 : 0x11000), using: &generator))
            }
            strings.append(String(String.UnicodeScalarView(scalars)))
        }
        let floats: [Float] = [0, 0.1, -2.5, 1e10, .greatestFiniteMagnitude]
        let dates = doubles.prefix(50).map { Date(timeIntervalSince1970: $0) }
        #expect(try StreamingJSONEncoder.bytes(of: doubles) == Array(Self.reference.encode(doubles)))
        #expect(try StreamingJSONEncoder.bytes(of: strings) == Array(Self.reference.encode(strings)))
        #expect(try StreamingJSONEncoder.bytes(of: floats) == Array(Self.reference.encode(floats)))
        #expect(try StreamingJSONEncoder.bytes(of: dates) == Array(Self.reference.encode(dates)))
        #expect(try StreamingJSONEncoder.bytes(of: [Int.min, 0, Int.max]) == Array(Self.reference.encode([Int.min, 0, Int.max])))
        #expect(try StreamingJSONEncoder.bytes(of: [UInt64.max]) == Array(Self.reference.encode([UInt64.max])))
        #expect(try StreamingJSONEncoder.bytes(of: [Data(), Data([0, 1, 2, 0xFF])]) == Array(Self.reference.encode([Data(), Data([0, 1, 2, 0xFF])])))
        #expect(try StreamingJSONEncoder.bytes(of: "fragment/\n") == Array(Self.reference.encode("fragment/\n")))
        #expect(try StreamingJSONEncoder.bytes(of: [true, false]) == Array(Self.reference.encode([true, false])))
    }

    @Test("ECR's answers read the same as JSONEncoder's")
    func ecrShapes() throws {
        let pushed = Date(timeIntervalSince1970: 1_733_222_400.125)
        let repository = Repository(
            repositoryArn: "arn:aws:ecr:ap-northeast-1:123456789012:repository/lab/app", registryId: "123456789012", repositoryName: "lab/app",
            repositoryUri: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/lab/app", createdAt: pushed, imageTagMutability: .immutable,
            imageScanningConfiguration: ImageScanningConfiguration(scanOnPush: true), encryptionConfiguration: EncryptionConfiguration(encryptionType: .aes256))
        try Self.agree(DescribeRepositoriesResponse(repositories: [repository, Repository()], nextToken: "t/1"))
        try Self.agree(DescribeRepositoriesResponse())
        let detail = ImageDetail(
            registryId: "123456789012", repositoryName: "lab/app", imageDigest: "sha256:" + String(repeating: "ab", count: 32), imageTags: ["v1", "latest"],
            imageSizeInBytes: 123_456_789, imagePushedAt: pushed, imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json")
        try Self.agree(DescribeImagesResponse(imageDetails: [detail, detail], nextToken: nil))
        try Self.agree(ListImagesResponse(imageIds: [ImageIdentifier(imageDigest: "sha256:00", imageTag: "v1"), ImageIdentifier()]))
    }

    @Test("random JSON values read the same as JSONEncoder's")
    func randomValues() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<300 {
            try Self.agree(JSONValueParsingTests.randomValue(depth: 0, using: &generator))
        }
        try Self.agree(["b": [1, 2], "a": [3]])
        try Self.agree([Nested(inner: .init(values: [nil, 1]), tags: ["k": "v"]), Nested(inner: nil, tags: [:])])
    }

    struct Nested: Encodable {
        struct Inner: Encodable { var values: [Int?] }
        var inner: Inner?
        var tags: [String: String]
    }

    /// A value that uses its encoder in a way written as it goes cannot follow: JSONEncoder's answer.
    struct Awkward: Encodable {
        enum Kind { case duplicateKey, siblingAfterNested, superEncoder, nothing, nonFinite, url, swallowed }
        enum Keys: String, CodingKey { case a, b }
        var kind: Kind

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch kind {
            case .duplicateKey:
                try container.encode(1, forKey: .a)
                try container.encode(2, forKey: .a)
            case .siblingAfterNested:
                var first = container.nestedContainer(keyedBy: Keys.self, forKey: .a)
                try container.encode(2, forKey: .b)
                try first.encode(1, forKey: .a)
            case .superEncoder:
                try 5.encode(to: container.superEncoder())
            case .nothing:
                try container.encode(Empty(), forKey: .a)
            case .nonFinite:
                try container.encode(Double.nan, forKey: .a)
            case .url:
                try container.encode(URL(string: "https://public.ecr.aws/nginx/nginx"), forKey: .a)
            case .swallowed:
                var first = container.nestedContainer(keyedBy: Keys.self, forKey: .a)
                try container.encode(2, forKey: .b)
                try? first.encode(1, forKey: .b)
            }
        }
    }

    struct Empty: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test(
        "what cannot be written as it goes is JSONEncoder's: its JSON, or its error",
        arguments: [Awkward.Kind.duplicateKey, .siblingAfterNested, .superEncoder, .nothing, .nonFinite, .url, .swallowed])
    func fallback(kind: Awkward.Kind) throws {
        #expect(throws: StreamingJSONEncoder.Unsupported.self) { try StreamingJSONEncoder.bytes(of: Awkward(kind: kind)) }
        let expected = Result { try Self.reference.encode(Awkward(kind: kind)) }
        let answered = Result { try StreamingJSONEncoder.encode(Awkward(kind: kind)) }
        switch (expected, answered) {
        case (.success(let expected), .success(let answered)): #expect(JSONValue(json: expected) == JSONValue(json: answered))
        case (.failure(let expected), .failure(let answered)): #expect("\(expected)" == "\(answered)")
        default: Issue.record("JSONEncoder: \(expected), StreamingJSONEncoder: \(answered)")
        }
    }

    @Test("nesting deeper than 256 levels is JSONEncoder's")
    func depth() throws {
        var value = JSONValue.array([])
        for _ in 0..<300 { value = .array([value]) }
        #expect(throws: StreamingJSONEncoder.Unsupported.self) { try StreamingJSONEncoder.bytes(of: value) }
        #expect(try StreamingJSONEncoder.encode(value) == Self.reference.encode(value))
    }
}
