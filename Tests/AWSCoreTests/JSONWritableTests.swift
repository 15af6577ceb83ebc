import Foundation
import Testing

@testable import ECRWire
@testable import FakeECR

/// A generated shape's own JSON (`JSONWritable`) must be, byte for byte, what its `Encodable` form
/// gives through `StreamingJSONEncoder`'s Codable path: every ECR and CloudTrail structure, filled
/// with random members (some absent, strings that need escaping, fractional dates, maps).
@Suite struct JSONWritableTests {
    static var shapes: [any (JSONWritable & Codable).Type] { ECRWritableShapes.all + CloudTrailWritableShapes.all }

    static func bothWays<T: JSONWritable & Codable>(_ value: T) throws -> (written: [UInt8], codable: [UInt8]) {
        var json = JSONWriter()
        value.writeJSON(to: &json)
        #expect(!json.refused)
        return (json.bytes, try StreamingJSONEncoder.bytes(of: value))
    }

    @Test("every generated structure writes the bytes its Encodable form gives", arguments: 0..<12)
    func everyShapeByteForByte(seed: UInt64) throws {
        #expect(Self.shapes.count > 140)
        var filled = 0
        for shape in Self.shapes {
            func check<T: JSONWritable & Codable>(_: T.Type) throws {
                let source = FillingSource(seed: seed &* 1_000_003 &+ UInt64(filled))
                let value = try T(from: FillingDecoder(source: source, depth: 0))
                let (written, codable) = try Self.bothWays(value)
                #expect(String(decoding: written, as: UTF8.self) == String(decoding: codable, as: UTF8.self), "\(T.self)")
                // And through the public entry point, which picks the writer.
                #expect(try Array(StreamingJSONEncoder.encode(value)) == codable, "\(T.self) through encode")
                filled += 1
            }
            try check(shape)
        }
        #expect(filled == Self.shapes.count)
    }

    @Test("a non-finite number is refused by the writer and answered as JSONEncoder answers it")
    func nonFiniteFallsBack() throws {
        let score = CvssScore(baseScore: .nan, scoringVector: "v", source: "s", version: "3")
        var json = JSONWriter()
        score.writeJSON(to: &json)
        #expect(json.refused)
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder.encode(score) }
        let date = ImageDetail(imagePushedAt: Date(timeIntervalSince1970: .infinity))
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder.encode(date) }
    }

    @Test("maps keyed by a wire enum and by strings are objects in the dictionary's order")
    func maps() throws {
        let counts: [FindingSeverity: Int] = [.critical: 2, .high: 0, "NEW/ONE": 7]
        let findings = ImageScanFindings(findingSeverityCounts: counts)
        let (written, codable) = try Self.bothWays(findings)
        #expect(written == codable)
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.contains(#""NEW\/ONE":7"#))
        #expect(JSONValue(json: Data(written))?["findingSeverityCounts"]?["CRITICAL"] == .number(2))
    }
}

/// Random members for `FillingDecoder`: a fixed sequence from a seed.
final class FillingSource {
    var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    static let strings = ["", "lab/app", "quote \" back \\ slash /", "é☃😀", "line\nfeed\ttab\u{1}", "sha256:" + String(repeating: "ab", count: 32)]
    func bool() -> Bool { Bool.random(using: &generator) }
    func int() -> Int { Int.random(in: -1_000_000...Int.max / 2, using: &generator) }
    func double() -> Double { Double(Int64.random(in: -10_000_000_000...10_000_000_000_000, using: &generator)) / 1000 }
    func string() -> String { Self.strings.randomElement(using: &generator) ?? "" }
    func count() -> Int { Int.random(in: 0...3, using: &generator) }
}

/// A decoder that makes up every member: present or not at random (required ones always), scalars
/// from `FillingSource`, lists of 0-3 elements, maps of up to three keys. Any `Decodable` comes out
/// filled, so each generated shape is tested without a hand-written sample.
struct FillingDecoder: Decoder {
    let source: FillingSource
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed<Key>(source: source, depth: depth + 1))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed(source: source, depth: depth + 1, count: source.count()) }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(source: source, depth: depth) }

    static func value<T: Decodable>(_ type: T.Type, source: FillingSource, depth: Int) throws -> T {
        switch type {
        case is String.Type: return try cast(source.string())
        case is Bool.Type: return try cast(source.bool())
        case let integer as any FixedWidthInteger.Type: return try cast(integer.init(truncatingIfNeeded: source.int()))
        case is Double.Type: return try cast(source.double())
        case is Float.Type: return try cast(Float(source.double()))
        default: return try T(from: FillingDecoder(source: source, depth: depth))
        }
    }

    static func cast<T>(_ value: Any) throws -> T {
        guard let value = value as? T else { throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: "filling")) }
        return value
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let source: FillingSource
        let depth: Int
        var codingPath: [any CodingKey] { [] }
        /// A map's keys (a structure's are asked for by name).
        var allKeys: [Key] { (0..<source.count()).compactMap { Key(stringValue: FillingSource.strings[$0 + 1]) } }
        func contains(_ key: Key) -> Bool { depth < 6 && source.bool() }
        func decodeNil(forKey key: Key) throws -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try FillingDecoder.value(type, source: source, depth: depth) }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(Keyed<NestedKey>(source: source, depth: depth + 1))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { Unkeyed(source: source, depth: depth + 1, count: source.count()) }
        func superDecoder() throws -> any Decoder { FillingDecoder(source: source, depth: depth) }
        func superDecoder(forKey key: Key) throws -> any Decoder { FillingDecoder(source: source, depth: depth) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let source: FillingSource
        let depth: Int
        var count: Int?
        var currentIndex = 0
        var codingPath: [any CodingKey] { [] }
        var isAtEnd: Bool { currentIndex >= (count ?? 0) }
        init(source: FillingSource, depth: Int, count: Int) {
            self.source = source
            self.depth = depth
            self.count = depth < 6 ? count : 0
        }
        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            currentIndex += 1
            return try FillingDecoder.value(type, source: source, depth: depth)
        }
        mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(Filled<Bool>.self).value }
        mutating func decode(_ type: String.Type) throws -> String { try decode(Filled<String>.self).value }
        mutating func decode(_ type: Double.Type) throws -> Double { try decode(Filled<Double>.self).value }
        mutating func decode(_ type: Float.Type) throws -> Float { try decode(Filled<Float>.self).value }
        mutating func decode(_ type: Int.Type) throws -> Int { try decode(Filled<Int>.self).value }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(Filled<Int8>.self).value }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(Filled<Int16>.self).value }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(Filled<Int32>.self).value }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(Filled<Int64>.self).value }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(Filled<UInt>.self).value }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(Filled<UInt8>.self).value }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(Filled<UInt16>.self).value }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(Filled<UInt32>.self).value }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(Filled<UInt64>.self).value }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            currentIndex += 1
            return KeyedDecodingContainer(Keyed<NestedKey>(source: source, depth: depth + 1))
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            currentIndex += 1
            return Unkeyed(source: source, depth: depth + 1, count: source.count())
        }
        mutating func superDecoder() throws -> any Decoder { FillingDecoder(source: source, depth: depth) }
    }

    struct Single: SingleValueDecodingContainer {
        let source: FillingSource
        let depth: Int
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Bool.Type) throws -> Bool { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: String.Type) throws -> String { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Double.Type) throws -> Double { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Float.Type) throws -> Float { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int.Type) throws -> Int { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int8.Type) throws -> Int8 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int16.Type) throws -> Int16 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int32.Type) throws -> Int32 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: Int64.Type) throws -> Int64 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt.Type) throws -> UInt { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try FillingDecoder.value(type, source: source, depth: depth) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try FillingDecoder.value(type, source: source, depth: depth) }
    }

    /// A scalar read through the generic path (the unkeyed container's overloads count it as an element).
    struct Filled<T: Decodable>: Decodable {
        let value: T
        init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(T.self) }
    }
}
