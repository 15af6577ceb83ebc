import Foundation

/// The encoder of one value slot of a `JSONStreamWriter`: one container or one single value, once.
/// Coding paths are not kept (nothing this project encodes reads them).
struct JSONStreamSlot: Encoder {
    let writer: JSONStreamWriter
    let slot: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        // A second container of the same value fails at its first write (its slot is taken).
        let id = writer.attempt { try writer.open(object: true, in: slot) }
        return KeyedEncodingContainer(JSONStreamKeyedContainer<Key>(writer: writer, id: id))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONStreamUnkeyedContainer(writer: writer, id: writer.attempt { try writer.open(object: false, in: slot) })
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONStreamSingleValue(writer: writer, slot: slot)
    }
}

struct JSONStreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONStreamWriter
    /// The object's frame; 0 when it could not be opened (every write then fails).
    let id: Int
    var codingPath: [any CodingKey] { [] }

    private func member(_ key: Key) throws -> Int {
        guard id != 0 else { throw writer.refuse() }
        let slot = try writer.beginMember(key.stringValue, of: id)
        try writer.fill(slot)
        return slot
    }

    mutating func encodeNil(forKey key: Key) throws { _ = try member(key); writer.writeNull() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { _ = try member(key); writer.writeBool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { _ = try member(key); writer.writeString(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { _ = try member(key); try writer.writeDouble(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { _ = try member(key); try writer.writeFloat(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { _ = try member(key); writer.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        guard id != 0 else { throw writer.refuse() }
        try writer.encodeValue(value, in: try writer.beginMember(key.stringValue, of: id))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = id == 0 ? 0 : writer.attempt { try writer.open(object: true, in: writer.beginMember(key.stringValue, of: id)) }
        return KeyedEncodingContainer(JSONStreamKeyedContainer<NestedKey>(writer: writer, id: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = id == 0 ? 0 : writer.attempt { try writer.open(object: false, in: writer.beginMember(key.stringValue, of: id)) }
        return JSONStreamUnkeyedContainer(writer: writer, id: nested)
    }

    mutating func superEncoder() -> any Encoder {
        _ = writer.refuse()
        return JSONStreamSlot(writer: writer, slot: -1)
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        _ = writer.refuse()
        return JSONStreamSlot(writer: writer, slot: -1)
    }
}

struct JSONStreamUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: JSONStreamWriter
    let id: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { writer.count(of: id) }

    private func element() throws {
        guard id != 0 else { throw writer.refuse() }
        try writer.fill(try writer.beginElement(of: id))
    }

    mutating func encodeNil() throws { try element(); writer.writeNull() }
    mutating func encode(_ value: Bool) throws { try element(); writer.writeBool(value) }
    mutating func encode(_ value: String) throws { try element(); writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try element(); try writer.writeDouble(value) }
    mutating func encode(_ value: Float) throws { try element(); try writer.writeFloat(value) }
    mutating func encode(_ value: Int) throws { try element(); writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try element(); writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try element(); writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try element(); writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try element(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try element(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try element(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try element(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try element(); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try element(); writer.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        guard id != 0 else { throw writer.refuse() }
        try writer.encodeValue(value, in: try writer.beginElement(of: id))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = id == 0 ? 0 : writer.attempt { try writer.open(object: true, in: writer.beginElement(of: id)) }
        return KeyedEncodingContainer(JSONStreamKeyedContainer<NestedKey>(writer: writer, id: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = id == 0 ? 0 : writer.attempt { try writer.open(object: false, in: writer.beginElement(of: id)) }
        return JSONStreamUnkeyedContainer(writer: writer, id: nested)
    }

    mutating func superEncoder() -> any Encoder {
        _ = writer.refuse()
        return JSONStreamSlot(writer: writer, slot: -1)
    }
}

struct JSONStreamSingleValue: SingleValueEncodingContainer {
    let writer: JSONStreamWriter
    let slot: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { try writer.fill(slot); writer.writeNull() }
    mutating func encode(_ value: Bool) throws { try writer.fill(slot); writer.writeBool(value) }
    mutating func encode(_ value: String) throws { try writer.fill(slot); writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try writer.fill(slot); try writer.writeDouble(value) }
    mutating func encode(_ value: Float) throws { try writer.fill(slot); try writer.writeFloat(value) }
    mutating func encode(_ value: Int) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try writer.fill(slot); writer.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.encodeValue(value, in: slot) }
}
