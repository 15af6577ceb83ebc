/// A string enum of the wire that keeps unknown values instead of failing to decode them:
/// AWS adds enum values over time, and an old client must still read a new answer.
/// `knownValues` lists what the botocore model of this version defines; the fake validates against it.
/// Also `CodingKeyRepresentable`, so that a map keyed by an enum (`findingSeverityCounts`,
/// `[FindingSeverity: Int]`) is a JSON object as on the wire, not Codable's array of pairs.
public protocol WireEnum: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral, CodingKeyRepresentable,
    JSONWritable, JSONMapKey
where RawValue == String {
    init(rawValue: String)
    static var knownValues: [Self] { get }
}

extension WireEnum {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }
    public var codingKey: any CodingKey { WireEnumKey(stringValue: rawValue) }
    public init?<Key: CodingKey>(codingKey: Key) { self.init(rawValue: codingKey.stringValue) }
    public var isKnown: Bool { Self.knownValues.contains(self) }
    /// "A, B or C": for validation messages.
    public static var knownValuesList: String { knownValues.map(\.rawValue).joined(separator: ", ") }
}

/// The coding key of a `WireEnum` value used as a map key.
struct WireEnumKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
