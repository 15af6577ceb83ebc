import Foundation

/// A parsed XML answer with path look-ups that ignore namespaces.
///
/// Read by libxml2 directly into a tree of its own (`Element`), and the document freed at once.
/// FoundationXML's reader is not used: its `XMLDocument` keeps about 9-11 KB of every answer it reads,
/// never freed, and both its document and its SAX bridge crash the process on bodies libxml2 itself
/// reads or refuses cleanly (found by fuzz-xml-sts: a name that is not UTF-8, a processing instruction
/// with no data, a DTD's declarations, an encoding libxml2 does not know, a document libxml2 makes
/// nothing of). No network or file is read for a DTD or an entity.
public struct XMLAnswer: Sendable {
    /// One element: its local name (namespace prefix dropped), its elements in order, and its text
    /// (the character data inside it, CDATA and internal entities included, in document order; a run of
    /// white space alone beside elements is not text, as libxml2 drops blank nodes for XMLDocument).
    public final class Element: Sendable {
        public let name: String
        public let children: [Element]
        public let stringValue: String

        init(name: String, children: [Element], stringValue: String) {
            self.name = name
            self.children = children
            self.stringValue = stringValue
        }
    }

    private let root: Element

    /// Why a body is not an XML document.
    public struct ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        public var problem: String
        public var description: String { problem }
    }

    /// Parses `data`; an empty or blank body, one that does not start as XML (`<`, or a UTF-8 or UTF-16 byte
    /// order mark, or UTF-16 without one), or one libxml2 cannot read, throws `ReadError`.
    /// libxml2 recovers what it can of a cut or mis-nested document (a proxy's cut answer reads as missing
    /// what was cut); a document with no root element, or with an entity it cannot expand (its text would
    /// silently lack what the entity stood for), is refused.
    public init(data: Data) throws {
        guard data.contains(where: { !Self.isXMLWhitespace($0) }) else {
            throw ReadError(problem: data.isEmpty ? "the body is empty" : "the body is blank (\(data.count) bytes of white space)")
        }
        guard let first = data.first(where: { !Self.isXMLWhitespace($0) }), first == UInt8(ascii: "<") || first == 0xEF || first == 0xFE || first == 0xFF || first == 0
        else {
            throw ReadError(problem: "the body (\(data.count) bytes) is not XML")
        }
        root = try LibXML2Reader.read(data)
    }

    static func isXMLWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The root element's local name, e.g. "AssumeRoleResponse".
    public var rootName: String { root.name }

    /// The text of the first element found by following `path` (local names) from the root, searching
    /// at any depth for the first component.
    public func text(at path: [String]) -> String? {
        guard let first = path.first else { return root.stringValue }
        var candidates = Self.descendants(of: root, named: first)
        for name in path.dropFirst() {
            candidates = candidates.flatMap { Self.children(of: $0, named: name) }
        }
        return candidates.first?.stringValue.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The root, when named `name`, else the first element of that local name at any depth.
    func element(named name: String) -> Element? {
        rootName == name ? root : Self.descendants(of: root, named: name).first
    }

    static func children(of element: Element, named name: String) -> [Element] {
        element.children.filter { $0.name == name }
    }

    private static func descendants(of element: Element, named name: String) -> [Element] {
        var found: [Element] = []
        for child in element.children {
            if child.name == name { found.append(child) }
            found.append(contentsOf: descendants(of: child, named: name))
        }
        return found
    }
}
