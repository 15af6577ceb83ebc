import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML answer with path look-ups that ignore namespaces.
///
/// Read by the SAX parser into a tree of its own (`Element`): FoundationXML's `XMLDocument` keeps
/// about 9-11 KB of every answer it reads, never freed (`labcheck grade` from CloudTrail reads an
/// AssumeRole answer per student), and crashes on a body libxml2 makes no document of.
///
/// FoundationXML's SAX bridge crashes the process, with a delegate set, on a name that is not UTF-8 (found
/// by fuzz-xml-sts: `<?x\u{ED}l ...?>`) and on a C string libxml2 leaves NULL (`<?q?>`): only a body it
/// can take (`saxSafe`: UTF-8 throughout, no processing instruction, no DTD) reaches the delegate; any
/// other (never an AWS answer) is read by `XMLDocument` as before, whose parse sets no delegate.
public struct XMLAnswer: Sendable {
    /// One element: its local name (namespace prefix dropped), its elements in order, and its text
    /// (the character data inside it, CDATA included, in document order; like XMLDocument, white space
    /// alone between elements is not text).
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
        root = try Self.saxSafe(data) ? Self.readWithDelegate(data) : Self.readAsDocument(data)
    }

    /// The SAX parser into `TreeBuilder`. It goes on after most errors, as libxml2 recovers what it can of
    /// a cut or odd document (as XMLDocument did: a proxy's cut answer then reads as missing what was
    /// cut); it fails on what it cannot read at all (an undefined entity).
    static func readWithDelegate(_ data: Data) throws -> Element {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse() else {
            throw ReadError(problem: "the body (\(data.count) bytes) is not well-formed XML")
        }
        builder.closeAll()
        guard let root = builder.root else {
            throw ReadError(problem: "the XML document has no root element")
        }
        return root
    }

    /// `XMLDocument`, for the bodies the delegate may not see. FoundationXML's `XMLDocument(data:)`
    /// dereferences libxml2's document without checking it: a body libxml2 gives no document for (e.g.
    /// `<?xml version="1.0" encoding="utf-8B"?>`, an encoding it does not know) crashes the process. The
    /// SAX parser without a delegate reports those as errors: only a body it reads to the end reaches it.
    static func readAsDocument(_ data: Data) throws -> Element {
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
        return element(from: root)
    }

    /// `node` as the SAX reader builds it: its text is the character data inside it (XMLNode's
    /// `stringValue` would count a processing instruction's data too).
    private static func element(from node: XMLElement) -> Element {
        var children: [Element] = []
        var text = ""
        for child in node.children ?? [] {
            if let child = child as? XMLElement {
                let element = element(from: child)
                children.append(element)
                text += element.stringValue
            } else if child.kind == .text {
                text += child.stringValue ?? ""
            }
        }
        return Element(name: node.localName ?? node.name ?? "", children: children, stringValue: text)
    }

    /// Whether FoundationXML's SAX bridge can take what libxml2 hands it for `data`. The bridge
    /// force-unwraps names as UTF-8 and takes the C strings libxml2 leaves NULL (a processing
    /// instruction's absent data, a notation's public id, an attribute declaration's default) as present:
    /// each crashes the process with a delegate set. So: valid UTF-8 with no NUL (so libxml2's detection
    /// from the first bytes finds no UTF-16 or UCS-4), an XML declaration naming no encoding but UTF-8
    /// (libxml2 would transcode, and its UTF-16 reader passes lone surrogates), then no processing
    /// instruction and no DTD (`<?`, or `<!` other than a comment or CDATA section, anywhere).
    static func saxSafe(_ data: Data) -> Bool {
        guard !data.contains(0), String(validating: data, as: UTF8.self) != nil else { return false }
        var body = data[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if body.starts(with: Array("<?xml".utf8)) {
            // `<?xml-stylesheet?>` and the like are processing instructions, not the declaration.
            guard body.count > 5, isXMLWhitespace(body[body.startIndex + 5]) else { return false }
            // The declaration, to its end; one with no end, longer than any sane one, or with markup
            // inside (its `?>` would be another's: `<?xml versi<?p?>`), is not judged.
            guard let end = body.prefix(512).firstRange(of: Array("?>".utf8)),
                  !body[(body.startIndex + 2)..<end.lowerBound].contains(UInt8(ascii: "<")),
                  declaresUTF8Only(body[..<end.lowerBound])
            else { return false }
            body = body[end.upperBound...]
        }
        var rest = body
        while let open = rest.firstIndex(of: UInt8(ascii: "<")) {
            rest = rest[(open + 1)...]
            switch rest.first {
            case UInt8(ascii: "?"): return false
            case UInt8(ascii: "!"):
                let markup = rest.dropFirst()
                guard markup.starts(with: Array("--".utf8)) || markup.starts(with: Array("[CDATA[".utf8)) else { return false }
            default: break
            }
        }
        return true
    }

    /// Whether every `encoding` in an XML declaration's bytes names UTF-8.
    private static func declaresUTF8Only(_ text: Data) -> Bool {
        var declaration = text.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }[...]  // ASCII lowercased
        while let found = declaration.firstRange(of: Array("encoding".utf8)) {
            var rest = declaration[found.upperBound...].drop(while: isXMLWhitespace)
            guard rest.first == UInt8(ascii: "=") else { return false }
            rest = rest.dropFirst().drop(while: isXMLWhitespace)
            guard let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return false }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote), [Array("utf-8".utf8), Array("utf8".utf8)].contains(Array(rest[..<close]))
            else { return false }
            declaration = rest[(close + 1)...]
        }
        return true
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
            let blank = run.utf8.allSatisfy(XMLAnswer.isXMLWhitespace)
            if !blank || (closing && children.isEmpty) { text += run }
        }
    }

    private var open: [Open] = []
    /// The first root element (the document's, as XMLDocument reads it; any after it are ignored).
    private(set) var root: XMLAnswer.Element?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        let local = elementName.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? elementName
        if !open.isEmpty { open[open.count - 1].endRun(closing: false) }
        open.append(Open(name: local))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        endElement()
    }

    /// Ends the innermost open element: it joins its parent, or becomes the root.
    private func endElement() {
        guard var closed = open.popLast() else { return }
        closed.endRun(closing: true)
        let element = XMLAnswer.Element(name: closed.name, children: closed.children, stringValue: closed.text)
        if open.isEmpty {
            if root == nil { root = element }
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

    /// Ends the elements a cut document left open, innermost first.
    func closeAll() {
        while !open.isEmpty { endElement() }
    }
}
