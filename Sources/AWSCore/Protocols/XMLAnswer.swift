import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML answer with path look-ups that ignore namespaces.
///
/// Read by the SAX parser into a tree of its own (`Element`): FoundationXML's `XMLDocument` kept
/// about 28 KB of every answer it read, never freed (`labcheck grade` from CloudTrail reads an
/// AssumeRole answer per student), and crashed on a body libxml2 makes no document of.
public struct XMLAnswer: Sendable {
    /// One element: its local name (namespace prefix dropped), its elements in order, and its text
    /// (the character data inside it, CDATA included, in document order, as XMLNode's `stringValue`;
    /// like XMLDocument, white space alone between elements is not text).
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

    /// Parses `data`; an empty or blank body, or one that is not well-formed XML, throws `ReadError`.
    public init(data: Data) throws {
        guard data.contains(where: { !Self.isXMLWhitespace($0) }) else {
            throw ReadError(problem: data.isEmpty ? "the body is empty" : "the body is blank (\(data.count) bytes of white space)")
        }
        guard let first = data.first(where: { !Self.isXMLWhitespace($0) }), first == UInt8(ascii: "<") || first == 0xEF else {
            throw ReadError(problem: "the body (\(data.count) bytes) is not XML")
        }
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), builder.failed == false else {
            throw ReadError(problem: "the body (\(data.count) bytes) is not well-formed XML")
        }
        guard let root = builder.root else {
            throw ReadError(problem: "the XML document has no root element")
        }
        self.root = root
    }

    private static func isXMLWhitespace(_ byte: UInt8) -> Bool {
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

/// Builds `XMLAnswer.Element`s from the SAX parser's events.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    private struct Open {
        var name: String
        var children: [XMLAnswer.Element] = []
        var text = ""
        /// The character data since the last element started or ended here.
        var run = ""

        /// Ends the current run: white space alone is dropped beside elements (as libxml2 drops
        /// blank nodes for XMLDocument), kept as the whole text of an element without any.
        mutating func endRun(closing: Bool) {
            defer { run = "" }
            if run.isEmpty { return }
            let blank = run.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            if !blank || (closing && children.isEmpty) { text += run }
        }
    }

    private var open: [Open] = []
    private(set) var root: XMLAnswer.Element?
    private(set) var failed = false

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        let local = elementName.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? elementName
        if !open.isEmpty { open[open.count - 1].endRun(closing: false) }
        open.append(Open(name: local))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard var closed = open.popLast() else {
            failed = true
            return
        }
        closed.endRun(closing: true)
        let element = XMLAnswer.Element(name: closed.name, children: closed.children, stringValue: closed.text)
        if open.isEmpty {
            if root != nil { failed = true }
            root = element
        } else {
            open[open.count - 1].children.append(element)
            open[open.count - 1].text += closed.text
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !open.isEmpty else { return }
        open[open.count - 1].run += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !open.isEmpty else { return }
        open[open.count - 1].run += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { failed = true }
}
