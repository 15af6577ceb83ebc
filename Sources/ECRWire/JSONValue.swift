import Foundation

/// Any JSON value, kept as it was sent: CloudTrail's `requestParameters` and `responseElements` are
/// the calls' own shapes, so a record carries them as data rather than as one Swift type per operation.
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Each kind is tried in turn (a decoder tells a kind only by refusing the others, with a thrown
    /// error each): strings first, then objects, the kinds ECR's requests and answers are made of;
    /// JSONDecoder refuses a kind strictly (no number as a Bool, no Bool as a number), so the order
    /// changes what it costs, never what it decodes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            // Whole numbers as integers (`"maxResults": 50`, not `50.0`).
            if value.rounded() == value, abs(value) < 9.0e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The member `key` of an object; nil for anything else or a missing member.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// A value of an `Encodable` shape, as JSON (e.g. a request's shape as `requestParameters`).
    public init(encoding value: some Encodable, encoder: JSONEncoder = JSONEncoder()) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(value))
    }

    /// A JSON text; nil when it is not JSON (read by `JSONValueParser`, as `JSONDecoder` would read it).
    public init?(json data: Data) {
        guard let value = data.withUnsafeBytes({ JSONValueParser.parse($0.bindMemory(to: UInt8.self)) }) else { return nil }
        self = value
    }

    /// The JSON text in `bytes`; nil when it is not JSON.
    public init?(json bytes: UnsafeBufferPointer<UInt8>) {
        guard let value = JSONValueParser.parse(bytes) else { return nil }
        self = value
    }
}
