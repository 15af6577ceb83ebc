import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML answer with path look-ups that ignore namespaces.
public struct XMLAnswer: @unchecked Sendable {
    // XMLDocument is a class; an XMLAnswer is never mutated after init, so sharing it is safe.
    private let root: XMLElement

    /// Why a body is not an XML document.
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var problem: String
        public var description: String { problem }
    }

    /// Parses `data`; an empty or blank body, or one that is not well-formed XML, throws `ReadError` (never
    /// reaches FoundationXML's `XMLDocument(data:)`, which crashes on a body libxml2 makes no document of).
    public init(data: Data) throws {
        guard data.contains(where: { !Self.isXMLWhitespace($0) }) else {
            throw ReadError(problem: data.isEmpty ? "the body is empty" : "the body is blank (\(data.count) bytes of white space)")
        }
        guard let first = data.first(where: { !Self.isXMLWhitespace($0) }), first == UInt8(ascii: "<") || first == 0xEF else {
            throw ReadError(problem: "the body (\(data.count) bytes) is not XML")
        }
        // FoundationXML's `XMLDocument(data:)` dereferences libxml2's document without checking it: a body
        // libxml2 gives no document for (e.g. `<?xml version="1.0" encoding="utf-8B"?>`, an encoding it
        // does not know) crashes the process. The SAX parser reports those as errors: only a body it reads
        // to the end as well-formed XML reaches XMLDocument.
        guard XMLParser(data: data).parse() else {
            throw ReadError(problem: "the body (\(data.count) bytes) is not well-formed XML")
        }
        let document: XMLDocument
        do {
            document = try XMLDocument(data: data, options: [])
        } catch {
            throw ReadError(problem: "the body (\(data.count) bytes) is not well-formed XML")
        }
        guard let root = document.rootElement() else {
            throw ReadError(problem: "the XML document has no root element")
        }
        self.root = root
    }

    private static func isXMLWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The root element's local name, e.g. "AssumeRoleResponse".
    public var rootName: String { root.localName ?? root.name ?? "" }

    /// The text of the first element found by following `path` (local names) from the root, searching
    /// at any depth for the first component.
    public func text(at path: [String]) -> String? {
        guard let first = path.first else { return root.stringValue }
        var candidates = Self.descendants(of: root, named: first)
        for name in path.dropFirst() {
            candidates = candidates.flatMap { Self.children(of: $0, named: name) }
        }
        return candidates.first?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The root, when named `name`, else the first element of that local name at any depth.
    func element(named name: String) -> XMLElement? {
        rootName == name ? root : Self.descendants(of: root, named: name).first
    }

    static func children(of element: XMLElement, named name: String) -> [XMLElement] {
        (element.children ?? []).compactMap { $0 as? XMLElement }.filter { ($0.localName ?? $0.name) == name }
    }

    private static func descendants(of element: XMLElement, named name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        for child in (element.children ?? []).compactMap({ $0 as? XMLElement }) {
            if (child.localName ?? child.name) == name { found.append(child) }
            found.append(contentsOf: descendants(of: child, named: name))
        }
        return found
    }
}
