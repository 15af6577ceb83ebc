@testable import AWSCore
import Foundation
import Testing

/// The header trimming of SigV4 parsing gives exactly what Foundation's `trimmingCharacters(in:)` gives.
@Suite("SigV4 trimming")
struct SigV4TrimmingTests {
    static let samples: [String] = [
        "", " ", "\t", "abc", "  abc  ", "\tabc\t", " a b ", "\n abc \r\n", "\u{00A0}abc\u{3000}", "\u{2028}x\u{2029}",
        "\u{0085}x\u{000B}", " \u{0301}x", "x \u{0301}", "é ", " 日本 ", "\u{200B}x\u{200B}", "\u{2003}\u{202F}x\u{205F}\u{1680}",
        "Credential=AKID/20250101/us-east-1/ecr/aws4_request", " SignedHeaders=host;x-amz-date ",
    ]

    @Test func whitespaceMatchesFoundation() {
        for sample in Self.samples {
            #expect(sample.trimmingSigV4Whitespace() == sample.trimmingCharacters(in: .whitespaces), "\(sample.unicodeScalars.map(\.value))")
            #expect(
                sample.trimmingSigV4WhitespaceAndNewlines() == sample.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(sample.unicodeScalars.map(\.value))")
            let slice = sample.dropFirst(0)
            #expect(slice.trimmingSigV4Whitespace() == slice.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func everyScalarOfTheSetsMatchesFoundation() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(SigV4Trimming.isWhitespace(scalar) == CharacterSet.whitespaces.contains(scalar), "U+\(String(value, radix: 16))")
            #expect(
                SigV4Trimming.isWhitespaceOrNewline(scalar) == CharacterSet.whitespacesAndNewlines.contains(scalar),
                "U+\(String(value, radix: 16))")
        }
    }
}
