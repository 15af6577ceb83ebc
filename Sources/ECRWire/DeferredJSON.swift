import Foundation

/// A JSON value that may still be the text it was written as, read only when something asks for it.
///
/// The fake's trail keeps every write's answer as a CloudTrail record's `responseElements`: holding it
/// as the answer's own bytes (one buffer, already made) instead of a parsed tree spares a parse per
/// call and the tree's many small allocations for each of up to 100,000 records, and it is read back
/// only when LookupEvents writes the record or a test looks inside. Equal, and hashed, by the value
/// the text holds, so a record compares the same however its elements are held.
public struct DeferredJSON: Codable, Hashable, Sendable {
    private enum Storage: Sendable {
        case value(JSONValue)
        case text(Data)
    }

    private let storage: Storage

    public init(_ value: JSONValue) {
        storage = .value(value)
    }

    /// `text` must be one JSON value (an encoder's output); it is read when `value` is asked for.
    public init(text: Data) {
        storage = .text(text)
    }

    /// The value; `.null` for a text that is not JSON, which an encoder's own output never is.
    public var value: JSONValue {
        switch storage {
        case .value(let value): value
        case .text(let text): JSONValue(json: text) ?? .null
        }
    }

    public init(from decoder: any Decoder) throws {
        storage = .value(try JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }

    public static func == (lhs: DeferredJSON, rhs: DeferredJSON) -> Bool {
        if case .text(let left) = lhs.storage, case .text(let right) = rhs.storage, left == right { return true }
        return lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        value.hash(into: &hasher)
    }
}
