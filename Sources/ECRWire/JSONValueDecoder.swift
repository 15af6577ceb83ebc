import Foundation

/// Decodes a value from JSON already read into a `JSONValue`, as `JSONDecoder` (dates as seconds
/// since 1970, data as base64) decodes it from the text: fake-ecr reads every request body once
/// for its CloudTrail record and decodes the operation's input from that reading.
///
/// It decodes only what it is sure JSONDecoder decodes the same way; anything else fails with
/// `Unsupported`, and so does every failure of the value's own (a member missing, a kind mismatched),
/// for the caller to ask JSONDecoder, whose answer, or error, is the reference. Integers decode from
/// whole numbers below 2^53 in magnitude (beyond, the text's digits matter and the double lost them);
/// Float, URL and Decimal, coding paths and `superDecoder` are JSONDecoder's.
public enum JSONValueDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueSlot(value: value).decodeValue(type)
    }

    public struct Unsupported: Error {}
}

/// The decoder of one value.
struct JSONValueSlot: Decoder {
    let value: JSONValue
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw JSONValueDecoder.Unsupported() }
        return KeyedDecodingContainer(JSONValueKeyedContainer<Key>(members: members))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw JSONValueDecoder.Unsupported() }
        return JSONValueUnkeyedContainer(elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The kinds JSONDecoder reads its own way (told by their types), or the type's `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self {
            guard case .string(let string) = value, let string = string as? T else { throw JSONValueDecoder.Unsupported() }
            return string
        }
        if T.self == JSONValue.self, let value = value as? T { return value }
        if T.self == Date.self {
            guard case .number(let seconds) = value, let date = Date(timeIntervalSince1970: seconds) as? T else { throw JSONValueDecoder.Unsupported() }
            return date
        }
        if T.self == Data.self {
            guard case .string(let text) = value, let data = Data(base64Encoded: text) as? T else { throw JSONValueDecoder.Unsupported() }
            return data
        }
        if T.self == URL.self || T.self == Decimal.self || T.self == Float.self { throw JSONValueDecoder.Unsupported() }
        return try T(from: self)
    }

    static func integer<T: FixedWidthInteger>(_ value: JSONValue) throws -> T {
        guard case .number(let number) = value, abs(number) < 9_007_199_254_740_992, let integer = T(exactly: number) else {
            throw JSONValueDecoder.Unsupported()
        }
        return integer
    }
}

extension JSONValueSlot: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let bool) = value else { throw JSONValueDecoder.Unsupported() }
        return bool
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let string) = value else { throw JSONValueDecoder.Unsupported() }
        return string
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard case .number(let number) = value else { throw JSONValueDecoder.Unsupported() }
        return number
    }

    func decode(_ type: Float.Type) throws -> Float { throw JSONValueDecoder.Unsupported() }
    func decode(_ type: Int.Type) throws -> Int { try Self.integer(value) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Self.integer(value) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Self.integer(value) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Self.integer(value) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Self.integer(value) }
    func decode(_ type: UInt.Type) throws -> UInt { try Self.integer(value) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Self.integer(value) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Self.integer(value) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Self.integer(value) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Self.integer(value) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

struct JSONValueKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func slot(_ key: Key) throws -> JSONValueSlot {
        guard let value = members[key.stringValue] else { throw JSONValueDecoder.Unsupported() }
        return JSONValueSlot(value: value)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try slot(key).decodeNil() }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try slot(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try slot(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try slot(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try slot(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try slot(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try slot(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try slot(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try slot(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try slot(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try slot(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try slot(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try slot(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try slot(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try slot(key).decode(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try slot(key).decodeValue(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try slot(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try slot(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { throw JSONValueDecoder.Unsupported() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw JSONValueDecoder.Unsupported() }
}

struct JSONValueUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    var codingPath: [any CodingKey] { [] }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }
    private(set) var currentIndex = 0

    init(elements: [JSONValue]) { self.elements = elements }

    /// The next element's decoder; the index moves on only once it decoded (as JSONDecoder's does).
    private func next() throws -> JSONValueSlot {
        guard !isAtEnd else { throw JSONValueDecoder.Unsupported() }
        return JSONValueSlot(value: elements[currentIndex])
    }

    private mutating func take<T>(_ body: (JSONValueSlot) throws -> T) throws -> T {
        let value = try body(try next())
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard try next().decodeNil() else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try take { try $0.decode(type) } }
    mutating func decode(_ type: String.Type) throws -> String { try take { try $0.decode(type) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try take { try $0.decode(type) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try take { try $0.decode(type) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try take { try $0.decode(type) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try take { try $0.decode(type) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try take { try $0.decode(type) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try take { try $0.decode(type) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try take { try $0.decode(type) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try take { try $0.decode(type) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try take { try $0.decode(type) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try take { try $0.decode(type) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try take { try $0.decode(type) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try take { try $0.decode(type) } }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try take { try $0.decodeValue(type) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try take { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try take { try $0.unkeyedContainer() } }
    mutating func superDecoder() throws -> any Decoder { throw JSONValueDecoder.Unsupported() }
}
