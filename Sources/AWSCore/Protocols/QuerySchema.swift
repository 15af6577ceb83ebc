/// How a query-protocol service (IAM) writes its shapes: generated from the botocore model
/// (`scripts/generate-wire-shapes.py`), read by `QueryCoding`.
public struct QuerySchema: Sendable {
    /// The wire type of a member.
    public indirect enum MemberType: Sendable, Equatable {
        case string, integer, boolean, timestamp
        /// `Name.member.N` in a form, `<Name><member>…</member></Name>` in XML.
        case list(MemberType)
        /// `Name.entry.N.key`/`.value` in a form, `<Name><entry><key/><value/></entry></Name>` in XML; keys are strings.
        case map(MemberType)
        /// A structure of the schema, by its Swift name.
        case structure(String)
    }

    /// A member of a structure: its wire name (the botocore member name) and type.
    public struct Member: Sendable, Equatable {
        public var name: String
        public var type: MemberType
        public init(_ name: String, _ type: MemberType) {
            self.name = name
            self.type = type
        }
    }

    /// Every structure of the generated shapes, by Swift name, with its members in model order.
    public var structures: [String: [Member]]

    public init(structures: [String: [Member]]) {
        self.structures = structures
    }

    func members(of shape: String) throws(QueryCodingError) -> [Member] {
        guard let members = structures[shape] else { throw QueryCodingError("the query schema has no shape \(shape)") }
        return members
    }
}

/// A value that does not fit the schema (a bad form parameter, an XML answer of the wrong type).
public struct QueryCodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { problem }
}
