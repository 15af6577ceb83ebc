import Foundation

/// A value that writes its own JSON: the very bytes `StreamingJSONEncoder` writes of its `Encodable`
/// form (members in declaration order, an absent optional member left out, dates as seconds since
/// 1970, strings escaped alike), without Codable's containers, boxes and generic look-ups, which were
/// most of what a control-plane answer cost to encode. The wire shapes get theirs from
/// scripts/generate-wire-shapes.py (`<P>Writers.swift`); `StreamingJSONEncoder.encode` uses it when a
/// value has one.
public protocol JSONWritable {
    func writeJSON(to json: inout JSONWriter)
}

/// The JSON written so far by `JSONWritable` values. A value ends with `needsComma` set, a container
/// begins with it clear: a member or element that follows another is preceded by a comma, with no
/// stack of open containers.
public struct JSONWriter {
    var bytes: [UInt8] = []
    var needsComma = false
    /// A value JSON cannot hold (a non-finite number): the caller encodes by Codable instead, whose
    /// error then says what was wrong.
    var refused = false

    init() { bytes.reserveCapacity(512) }

    mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// A member whose value is always there; `name` must need no escaping (the generator's are the model's names).
    mutating func member<T: JSONWritable>(_ name: StaticString, _ value: T) {
        memberName(name)
        value.writeJSON(to: &self)
    }

    /// An optional member: left out when nil, as synthesized `Encodable` does (`encodeIfPresent`).
    mutating func member<T: JSONWritable>(_ name: StaticString, _ value: T?) {
        guard let value else { return }
        member(name, value)
    }

    private mutating func memberName(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    /// A map's key, escaped as any string.
    mutating func key(_ key: String) {
        separate()
        JSONText.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// The comma before a value that follows another in the same container.
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    mutating func string(_ value: String) { separate(); JSONText.appendString(value, to: &bytes); needsComma = true }
    mutating func literal(_ text: String) { separate(); JSONText.append(text, to: &bytes); needsComma = true }
    mutating func number(_ text: String?) {
        guard let text else { refused = true; return }
        literal(text)
    }
}

/// A key of a JSON object written from a map (`[String: …]`, `[SomeWireEnum: …]`).
public protocol JSONMapKey {
    var jsonKey: String { get }
}

extension String: JSONWritable, JSONMapKey {
    public func writeJSON(to json: inout JSONWriter) { json.string(self) }
    public var jsonKey: String { self }
}

extension Bool: JSONWritable {
    public func writeJSON(to json: inout JSONWriter) { json.literal(self ? "true" : "false") }
}

extension Int: JSONWritable {
    public func writeJSON(to json: inout JSONWriter) { json.literal(String(self)) }
}

extension Int64: JSONWritable {
    public func writeJSON(to json: inout JSONWriter) { json.literal(String(self)) }
}

extension Double: JSONWritable {
    public func writeJSON(to json: inout JSONWriter) { json.number(JSONText.number(self)) }
}

extension Float: JSONWritable {
    public func writeJSON(to json: inout JSONWriter) { json.number(JSONText.number(self)) }
}

extension Date: JSONWritable {
    public func writeJSON(to json: inout JSONWriter) { json.number(JSONText.number(timeIntervalSince1970)) }
}

extension Array: JSONWritable where Element: JSONWritable {
    public func writeJSON(to json: inout JSONWriter) {
        json.beginArray()
        for element in self { element.writeJSON(to: &json) }
        json.endArray()
    }
}

extension Dictionary: JSONWritable where Key: JSONMapKey, Value: JSONWritable {
    /// In the dictionary's own order, as `Dictionary.encode(to:)` goes.
    public func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        for (key, value) in self {
            json.key(key.jsonKey)
            value.writeJSON(to: &json)
        }
        json.endObject()
    }
}

extension WireEnum {
    public func writeJSON(to json: inout JSONWriter) { json.string(rawValue) }
    public var jsonKey: String { rawValue }
}

/// The text of JSON's scalars, as `JSONEncoder` writes them; shared by `JSONStreamWriter` and `JSONWriter`.
enum JSONText {
    static func append(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A finite number without a trailing `.0`; nil for a non-finite one, which JSON cannot hold.
    static func number<T: BinaryFloatingPoint & CustomStringConvertible>(_ value: T) -> String? {
        guard value.isFinite else { return nil }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// A string as JSONWriter escapes it: `"`, `\`, `/`, and control characters.
    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/") else { continue }
                if index > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            if utf8.count > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
