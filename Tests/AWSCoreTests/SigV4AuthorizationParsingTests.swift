import Testing

@testable import AWSCore
@testable import FakeECR

/// `SigV4Authorization.parse` reads the usual header in one pass (`parseCommon`) and anything else
/// the general way (`parseGeneral`); whatever the first accepts, it must read as the second does.
@Suite struct SigV4AuthorizationParsingTests {
    static let common = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/ap-northeast-1/ecr/aws4_request, "
        + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"

    static func general(_ value: String) -> Result<SigV4Authorization, SigV4Error> {
        Result { try SigV4Authorization.parseGeneral(value) }.mapError { $0 as? SigV4Error ?? SigV4Error(code: .incompleteSignature, message: "\($0)") }
    }

    @Test("the SDKs' header is read in one pass, as the general reading reads it")
    func commonHeader() throws {
        let fast = try #require(SigV4Authorization.parseCommon(Self.common))
        #expect(fast == (try Self.general(Self.common).get()))
        #expect(fast.accessKeyId == "AKIAIOSFODNN7EXAMPLE")
        #expect(fast.region == "ap-northeast-1")
        #expect(fast.signedHeaders == ["content-type", "host", "x-amz-date", "x-amz-target"])
    }

    static let variants: [String] = [
        common, "  " + common + "  ", common.replacingOccurrences(of: ", ", with: ","), common.replacingOccurrences(of: ", ", with: " , "),
        common + ",", common + ", Extra=1", "AWS4-HMAC-SHA256 Signature=ab, SignedHeaders=Host;X-Amz-Date, Credential=K/20250101/r/s/aws4_request",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request, SignedHeaders=host, Signature=a, Signature=b",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request, SignedHeaders=host, Signature=a=b",
        // Refused, or read only by the general way:
        "", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256X Credential=K/20250101/r/s/aws4_request, SignedHeaders=host, Signature=a",
        "Basic dXNlcjpwYXNz", "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request, SignedHeaders=, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request, SignedHeaders=host;;date, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request, SignedHeaders=host;, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request, SignedHeaders=host; ;date, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/2025011/r/s/aws4_request, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/20250101//s/aws4_request, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request/, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request, SignedHeaders=host, Signature",
        "AWS4-HMAC-SHA256\tCredential=K/20250101/r/s/aws4_request, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request,\u{00A0}SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=KÉ/20250101/r/s/aws4_request, SignedHeaders=host, Signature=a",
        "AWS4-HMAC-SHA256 Credential=K/20250101/r/s/aws4_request, SignedHeaders=HOST;X-Amz-Date, Signature=a\n",
    ]

    @Test("what the one pass accepts reads as the general way reads it; the rest is the general way's", arguments: variants)
    func agreesWithTheGeneralReading(header: String) {
        let general = Self.general(header)
        if let fast = SigV4Authorization.parseCommon(header) {
            #expect(general == .success(fast))
        }
        switch (Result { try SigV4Authorization.parse(header) }, general) {
        case (.success(let parsed), .success(let expected)): #expect(parsed == expected)
        case (.failure(let error as SigV4Error), .failure(let expected)): #expect(error.message == expected.message)
        case (let parsed, let expected): Issue.record("parse: \(parsed), the general way: \(expected)")
        }
    }

    /// One- and two-byte changes of the common header (seeded: a byte replaced, inserted or removed):
    /// the one pass never disagrees with the general way.
    @Test("mutations of the header never make the two readings disagree")
    func mutations() {
        var generator = SplitMix64(seed: 4)
        let bytes = Array(Self.common.utf8)
        let alphabet = Array(" ,;=/\t-_aZAH09\u{7F}".utf8) + [0xC3, 0xA9]
        var acceptedByTheOnePass = 0
        for round in 0..<4000 {
            var mutated = bytes
            for _ in 0...(round % 2) {
                let position = Int.random(in: 0..<mutated.count, using: &generator)
                let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: mutated[position] = byte
                case 1: mutated.insert(byte, at: position)
                default: mutated.remove(at: position)
                }
            }
            let header = String(decoding: mutated, as: UTF8.self)
            if let fast = SigV4Authorization.parseCommon(header) {
                acceptedByTheOnePass += 1
                #expect(Self.general(header) == .success(fast), "\(header.debugDescription)")
            }
        }
        // Most mutations leave a header the one pass still reads (a changed key id, date or signature).
        #expect(acceptedByTheOnePass > 1000, "\(acceptedByTheOnePass) of 4000")
    }
}
