import ECRWire
import Foundation
import Testing

@testable import FakeECR

/// `JSONValue(json:)` reads JSON by hand; it must accept and read exactly what `JSONDecoder` does.
@Suite struct JSONValueParsingTests {
    /// What JSONDecoder makes of the text (the reference).
    static func decoded(_ text: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text))
    }

    static func parsed(_ text: [UInt8]) -> JSONValue? {
        JSONValue(json: Data(text))
    }

    static let texts: [String] = [
        #"{}"#, #"[]"#, #" { } "#, "\t[\n]\r", #"{"repositoryName":"lab/app","maxResults":50}"#,
        #"{"a":{"b":[1,2,{"c":null}]},"d":true,"e":false}"#, #""just a string""#, "0", "-0", "12", "-12.5e3", "1E+2", "1e-2",
        "0.5", "123456789012345678901234567890", #"{"a":1,"a":2}"#, #"["\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r"]"#,
        #"["naïve ☃ 😀"]"#, #"{"imageManifest":"{\"schemaVersion\":2,\"manifests\":[]}"}"#, "null", "true", "false",
        // Not JSON, or not as JSONDecoder reads it:
        "", " ", "{", "}", "[1,]", "[,1]", #"{"a":1,}"#, #"{"a"}"#, #"{a:1}"#, #"{'a':1}"#, "01", "+1", ".5", "1.", "1e", "1e+",
        "-", "--1", "0x10", "NaN", "Infinity", "1e400", "-1e400", "tru", "nul", "truex", "[1] [2]", #""a"#, "\"a\u{01}b\"",
        #""\x""#, #""\u12""#, #""\ud83d""#, #""\ud83d\u0041""#, #""\ude00""#, "[" + String(repeating: "[", count: 600) + "]",
        #"{"a":[1,2}"#, #"[1:2]"#, "\u{FEFF}{}", "\u{FEFF} {}", " \u{FEFF}{}", "[[1,],]", #"{"a":[1,],}"#, "[1,,]", "{,}", "[,]",
        "[1 ,]", "[1, ]", #"{"a":1 , }"#, #"{"a":1,"b":2,"a":3}"#, #"{"a":{"x":1},"a":{"y":2}}"#,
    ]

    @Test("reads every text of the corpus as JSONDecoder does", arguments: texts)
    func corpus(text: String) {
        let bytes = Array(text.utf8)
        #expect(Self.parsed(bytes) == Self.decoded(bytes), "\(text.debugDescription)")
    }

    @Test("refuses bytes that are not UTF-8 inside a string, as JSONDecoder does")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D]] {
            #expect(Self.parsed(bytes) == nil)
            #expect(Self.decoded(bytes) == nil)
        }
    }

    /// JSONDecoder refuses the 513th level while scanning (cheap to ask); reading 512 levels into a JSONValue
    /// costs it seconds (a thrown error per kind tried, at every level), so that it accepts them is taken from
    /// a run of it (both agreed at 511, 512 and 513) rather than asked on every test run.
    @Test("reads 512 levels of nesting, refuses 513, as JSONDecoder does")
    func depth() {
        func nested(_ depth: Int) -> [UInt8] { Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8) }
        #expect(Self.parsed(nested(511)) != nil)
        #expect(Self.parsed(nested(512)) != nil)
        #expect(Self.parsed(nested(513)) == nil)
        #expect(Self.decoded(nested(513)) == nil)
    }

    /// Random values written by JSONEncoder read back equal; each text with one byte changed is
    /// accepted or refused as JSONDecoder does, and read the same.
    @Test("random values round-trip, and their one-byte mutations read as JSONDecoder reads them")
    func randomValues() throws {
        var generator = SplitMix64(seed: 18)
        let alphabet: [UInt8] = Array(#"{}[]:,"\ -+.eE0123456789abtrufnlsu"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
        for _ in 0..<400 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let text = Array(try JSONEncoder().encode(value))
            #expect(Self.parsed(text) == Self.decoded(text))
            #expect(Self.parsed(text) != nil)
            guard !text.isEmpty else { continue }
            var mutated = text
            mutated[Int.random(in: 0..<mutated.count, using: &generator)] = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            #expect(Self.parsed(mutated) == Self.decoded(mutated), "\(String(decoding: mutated, as: UTF8.self).debugDescription)")
        }
    }

    static func randomValue(depth: Int, using generator: inout SplitMix64) -> JSONValue {
        let kind = Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            let choices: [Double] = [0, 1, -1, 50, 1_733_222_400, 0.5, -12.25, 1e21, 3.141592653589793]
            return .number(choices[Int.random(in: 0..<choices.count, using: &generator)])
        case 3:
            let choices = ["", "lab/app", "v1", "é☃😀", "quote \" backslash \\ slash /", "line\nbreak\ttab", "\u{01}\u{1F}"]
            return .string(choices[Int.random(in: 0..<choices.count, using: &generator)])
        case 4:
            return .array((0..<Int.random(in: 0..<4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var members: [String: JSONValue] = [:]
            for index in 0..<Int.random(in: 0..<4, using: &generator) { members["k\(index)"] = randomValue(depth: depth + 1, using: &generator) }
            return .object(members)
        }
    }
}
