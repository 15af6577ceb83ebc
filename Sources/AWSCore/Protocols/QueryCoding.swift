import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Codable shapes over the AWS query protocol, as its schema (`QuerySchema`) says: a request as form parameters
/// (`Tags.member.1.Key=…`) and an answer's `<Operation>Result` as XML, in both directions (the client writes
/// requests and reads answers, a server reads requests and writes answers). The shapes go through JSON
/// (their Codable conformance with the model's member names), which the schema maps to and from the wire.
public struct QueryCoding: Sendable {
    public typealias MemberType = QuerySchema.MemberType
    public let schema: QuerySchema

    public init(schema: QuerySchema) {
        self.schema = schema
    }

    // MARK: form parameters

    /// The form parameters of `value`, a structure `shape` of the schema, in the schema's member order.
    public func parameters<T: Encodable>(_ value: T, shape: String) throws -> [(String, String)] {
        var pairs: [(String, String)] = []
        try flatten(try Self.jsonObject(value), as: .structure(shape), prefix: "", into: &pairs)
        return pairs
    }

    private func flatten(_ value: Any, as type: MemberType, prefix: String, into pairs: inout [(String, String)]) throws {
        switch type {
        case .string, .timestamp, .integer, .boolean:
            pairs.append((prefix, try Self.scalarText(value, as: type, at: prefix)))
        case .list(let element):
            guard let items = value as? [Any] else { throw QueryCodingError("\(prefix): expected a list") }
            if items.isEmpty { pairs.append((prefix, "")) }
            for (index, item) in items.enumerated() {
                try flatten(item, as: element, prefix: "\(prefix).member.\(index + 1)", into: &pairs)
            }
        case .map(let valueType):
            guard let entries = value as? [String: Any] else { throw QueryCodingError("\(prefix): expected a map") }
            for (index, key) in entries.keys.sorted().enumerated() {
                pairs.append(("\(prefix).entry.\(index + 1).key", key))
                try flatten(entries[key] ?? NSNull(), as: valueType, prefix: "\(prefix).entry.\(index + 1).value", into: &pairs)
            }
        case .structure(let name):
            guard let object = value as? [String: Any] else { throw QueryCodingError("\(prefix): expected a structure \(name)") }
            for member in try schema.members(of: name) {
                guard let memberValue = object[member.name], !(memberValue is NSNull) else { continue }
                try flatten(memberValue, as: member.type, prefix: Self.join(prefix, member.name), into: &pairs)
            }
        }
    }

    /// Reads form parameters (names decoded) as a structure `shape`. A missing required member or a value of the
    /// wrong type is a `QueryCodingError` in AWS's validation words.
    public func decodeRequest<T: Decodable>(_ type: T.Type, shape: String, parameters: [String: String]) throws -> T {
        let object = try unflatten(parameters, as: .structure(shape), prefix: "")
        return try Self.decode(T.self, from: object)
    }

    private func unflatten(_ parameters: [String: String], as type: MemberType, prefix: String) throws -> Any {
        switch type {
        case .string, .timestamp, .integer, .boolean:
            return try Self.scalar(parameters[prefix] ?? "", as: type, at: prefix)
        case .list(let element):
            var items: [Any] = []
            while Self.has(parameters, "\(prefix).member.\(items.count + 1)") {
                items.append(try unflatten(parameters, as: element, prefix: "\(prefix).member.\(items.count + 1)"))
            }
            return items
        case .map(let valueType):
            var entries: [String: Any] = [:]
            var index = 1
            while let key = parameters["\(prefix).entry.\(index).key"] {
                entries[key] = try unflatten(parameters, as: valueType, prefix: "\(prefix).entry.\(index).value")
                index += 1
            }
            return entries
        case .structure(let name):
            var object: [String: Any] = [:]
            for member in try schema.members(of: name) where Self.has(parameters, Self.join(prefix, member.name)) {
                object[member.name] = try unflatten(parameters, as: member.type, prefix: Self.join(prefix, member.name))
            }
            return object
        }
    }

    private static func has(_ parameters: [String: String], _ name: String) -> Bool {
        parameters[name] != nil || parameters.keys.contains { $0.hasPrefix(name + ".") }
    }

    // MARK: XML

    /// Reads the element `resultElement` of an answer (`<CreateUserResult>`) as a structure `shape`.
    public func decode<T: Decodable>(_ type: T.Type, shape: String, from answer: XMLAnswer, resultElement: String) throws -> T {
        guard let result = answer.element(named: resultElement) else {
            throw QueryCodingError("the answer (<\(answer.rootName)>) has no <\(resultElement)>")
        }
        return try Self.decode(T.self, from: try json(from: result, as: .structure(shape), path: resultElement))
    }

    private func json(from element: XMLAnswer.Element, as type: MemberType, path: String) throws -> Any {
        switch type {
        case .string, .timestamp, .integer, .boolean:
            return try Self.scalar(element.stringValue.trimmingCharacters(in: .whitespacesAndNewlines), as: type, at: path)
        case .list(let elementType):
            return try XMLAnswer.children(of: element, named: "member").enumerated().map { index, member in
                try json(from: member, as: elementType, path: "\(path).member.\(index + 1)")
            }
        case .map(let valueType):
            var entries: [String: Any] = [:]
            for entry in XMLAnswer.children(of: element, named: "entry") {
                guard let key = XMLAnswer.children(of: entry, named: "key").first?.stringValue,
                      let value = XMLAnswer.children(of: entry, named: "value").first else {
                    throw QueryCodingError("\(path): an <entry> without <key> and <value>")
                }
                entries[key] = try json(from: value, as: valueType, path: "\(path).\(key)")
            }
            return entries
        case .structure(let name):
            var object: [String: Any] = [:]
            for member in try schema.members(of: name) {
                if let child = XMLAnswer.children(of: element, named: member.name).first {
                    object[member.name] = try json(from: child, as: member.type, path: "\(path).\(member.name)")
                }
            }
            return object
        }
    }

    /// `value`, a structure `shape`, as the element `name` (`<CreateUserResult>…</CreateUserResult>`).
    public func element<T: Encodable>(_ value: T, shape: String, named name: String) throws -> XMLElement {
        try element(try Self.jsonObject(value), as: .structure(shape), named: name)
    }

    private func element(_ value: Any, as type: MemberType, named name: String) throws -> XMLElement {
        switch type {
        case .string, .timestamp, .integer, .boolean:
            return XMLElement(name: name, stringValue: try Self.scalarText(value, as: type, at: name))
        case .list(let elementType):
            guard let items = value as? [Any] else { throw QueryCodingError("\(name): expected a list") }
            let list = XMLElement(name: name)
            for item in items { list.addChild(try element(item, as: elementType, named: "member")) }
            return list
        case .map(let valueType):
            guard let entries = value as? [String: Any] else { throw QueryCodingError("\(name): expected a map") }
            let map = XMLElement(name: name)
            for key in entries.keys.sorted() {
                let entry = XMLElement(name: "entry")
                entry.addChild(XMLElement(name: "key", stringValue: key))
                entry.addChild(try element(entries[key] ?? NSNull(), as: valueType, named: "value"))
                map.addChild(entry)
            }
            return map
        case .structure(let shape):
            guard let object = value as? [String: Any] else { throw QueryCodingError("\(name): expected a structure \(shape)") }
            let structure = XMLElement(name: name)
            for member in try schema.members(of: shape) {
                guard let memberValue = object[member.name], !(memberValue is NSNull) else { continue }
                structure.addChild(try element(memberValue, as: member.type, named: member.name))
            }
            return structure
        }
    }

    /// A whole answer: `<ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata><RequestId/>…`;
    /// `result` nil for an operation whose answer carries no result.
    public static func responseDocument(action: String, namespace: String, result: XMLElement?, requestId: String) -> Data {
        let metadata = XMLElement(name: "ResponseMetadata")
        metadata.addChild(XMLElement(name: "RequestId", stringValue: requestId))
        return document(root: action + "Response", namespace: namespace, children: (result.map { [$0] } ?? []) + [metadata])
    }

    /// An error answer as query-protocol services write it (`QueryProtocol.decodeError` reads it): `type` is
    /// "Sender" for the caller's fault, "Receiver" for the service's.
    public static func errorDocument(namespace: String, type: String, code: String, message: String, requestId: String) -> Data {
        let error = XMLElement(name: "Error")
        error.addChild(XMLElement(name: "Type", stringValue: type))
        error.addChild(XMLElement(name: "Code", stringValue: code))
        error.addChild(XMLElement(name: "Message", stringValue: message))
        return document(root: "ErrorResponse", namespace: namespace, children: [error, XMLElement(name: "RequestId", stringValue: requestId)])
    }

    private static func document(root name: String, namespace: String, children: [XMLElement]) -> Data {
        let root = XMLElement(name: name)
        if let attribute = XMLNode.attribute(withName: "xmlns", stringValue: namespace) as? XMLNode {
            root.addAttribute(attribute)
        }
        // The document owns copies: FoundationXML frees a tree with its document, and a caller's element
        // (`result`, often still referenced after this returns) left in a freed tree is a dangling pointer
        // that crashed inside libxml2 when its wrapper was released later (IAMWireTests, 4 runs of 6).
        for child in children {
            if let copy = child.copy() as? XMLNode { root.addChild(copy) }
        }
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [.nodePrettyPrint])
    }

    // MARK: scalars and JSON

    private static func join(_ prefix: String, _ name: String) -> String {
        prefix.isEmpty ? name : prefix + "." + name
    }

    /// A JSON scalar as wire text: booleans `true`/`false`, numbers in decimal, strings and timestamps as they are.
    private static func scalarText(_ value: Any, as type: MemberType, at path: String) throws -> String {
        // JSONSerialization gives Bool, Int or NSNumber depending on the platform's Foundation.
        switch type {
        case .boolean:
            if let flag = value as? Bool { return flag ? "true" : "false" }
            if let number = value as? NSNumber { return number.boolValue ? "true" : "false" }
        case .integer:
            if let number = value as? Int { return String(number) }
            if let number = value as? Int64 { return String(number) }
            if let number = value as? NSNumber { return number.stringValue }
        default:
            if let text = value as? String { return text }
        }
        throw QueryCodingError("\(path): expected \(type), found \(value)")
    }

    /// Wire text as the JSON scalar of `type`.
    private static func scalar(_ text: String, as type: MemberType, at path: String) throws -> Any {
        switch type {
        case .integer:
            guard let number = Int64(text) else { throw QueryCodingError("\(path): expected an integer, found '\(text)'") }
            return NSNumber(value: number)
        case .boolean:
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: throw QueryCodingError("\(path): expected true or false, found '\(text)'")
            }
        default:
            return text
        }
    }

    private static func jsonObject<T: Encodable>(_ value: T) throws -> Any {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try JSONSerialization.jsonObject(with: encoder.encode(value), options: [.fragmentsAllowed])
    }

    private static func decode<T: Decodable>(_ type: T.Type, from object: Any) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = CredentialDates.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected an ISO 8601 time, found '\(text)'"))
            }
            return date
        }
        do {
            return try decoder.decode(T.self, from: JSONSerialization.data(withJSONObject: object))
        } catch DecodingError.keyNotFound(let key, let context) {
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw QueryCodingError("1 validation error detected: Value null at '\(path)' failed to satisfy constraint: Member must not be null")
        } catch let error as DecodingError {
            throw QueryCodingError("the value does not fit its shape: \(error)")
        }
    }
}
