import CLibXML2
import Foundation

/// Reads a body with libxml2 into `XMLAnswer.Element`s and frees libxml2's document.
///
/// libxml2 is asked to recover (a cut answer reads as missing what was cut), never to touch the network or
/// a file (no DTD is loaded, no external entity expanded), and to report its errors to `Problems`, not
/// to standard error. Its errors are read on the parsing thread (libxml2's structured-error handler is a
/// per-thread setting, restored after the parse).
enum LibXML2Reader {
    /// libxml2 asks to be initialised once, before any thread parses.
    private static let initialised: Void = xmlInitParser()

    private static let options = Int32(bitPattern: XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    /// Errors that make a recovered document's text wrong rather than short: an entity libxml2 cannot expand
    /// (its text would silently lack what it stood for), an encoding it cannot read (bytes read as another).
    private static let refused: Set<Int32> = Set([
        XML_ERR_UNDECLARED_ENTITY, XML_WAR_UNDECLARED_ENTITY, XML_ERR_UNPARSED_ENTITY, XML_ERR_ENTITY_IS_EXTERNAL,
        XML_ERR_ENTITY_NOT_FINISHED, XML_ERR_ENTITY_LOOP, XML_ERR_ENTITY_BOUNDARY, XML_ERR_ENTITY_PE_INTERNAL,
        XML_ERR_UNKNOWN_ENCODING, XML_ERR_UNSUPPORTED_ENCODING, XML_ERR_NO_MEMORY, XML_ERR_INTERNAL_ERROR,
    ].map { Int32(bitPattern: $0.rawValue) })

    /// The errors libxml2 reported during one parse: the first (for the message) and whether one was refused.
    private final class Problems {
        var first: (line: Int32, message: String)?
        var refused: (line: Int32, message: String)?

        func record(_ error: xmlError) {
            let message = error.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "error \(error.code)"
            if first == nil { first = (error.line, message) }
            if refused == nil, LibXML2Reader.refused.contains(error.code) { refused = (error.line, message) }
        }
    }

    static func read(_ data: Data) throws -> XMLAnswer.Element {
        _ = initialised
        guard data.count <= Int(Int32.max) else {
            throw XMLAnswer.ReadError(problem: "the body (\(data.count) bytes) is larger than libxml2 reads")
        }
        let problems = Problems()
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(problems).toOpaque()) { context, error in
            guard let context, let error else { return }
            Unmanaged<Problems>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
        }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let document: xmlDocPtr? = data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return xmlReadMemory(base, Int32(bytes.count), nil, nil, options)
        }
        defer { if let document { xmlFreeDoc(document) } }
        func failure(_ what: String, _ problem: (line: Int32, message: String)?) -> XMLAnswer.ReadError {
            XMLAnswer.ReadError(problem: "the body (\(data.count) bytes) \(what)" + (problem.map { " (line \($0.line): \($0.message))" } ?? ""))
        }
        if let refused = problems.refused { throw failure("is not XML that can be read", refused) }
        guard let document else { throw failure("is not XML that can be read", problems.first) }
        guard let root = xmlDocGetRootElement(document) else {
            throw XMLAnswer.ReadError(problem: "the XML document has no root element")
        }
        var budget = TextBudget(limit: max(1 << 20, data.count * 4))
        return try element(root, budget: &budget)
    }

    /// Bounds the text entities may expand to (libxml2 checks an entity's own size, not what nested
    /// references add up to).
    struct TextBudget {
        var limit: Int
        var used = 0

        mutating func spend(_ text: String) throws {
            used += text.utf8.count
            if used > limit { throw XMLAnswer.ReadError(problem: "the body's entities expand to more than \(limit) bytes of text") }
        }
    }

    /// One element: its local name, its elements, and its text by the rule `XMLAnswer.Element` states. A
    /// run of character data ends where an element starts or ends; a run of white space alone is dropped
    /// beside elements and kept as the whole text of an element without any. Comments and processing
    /// instructions are neither text nor breaks in a run.
    private static func element(_ node: xmlNodePtr, budget: inout TextBudget) throws -> XMLAnswer.Element {
        var children: [XMLAnswer.Element] = []
        var text = ""
        var run = ""
        func endRun(closing: Bool) throws {
            defer { run = "" }
            if run.isEmpty { return }
            if !run.utf8.allSatisfy(XMLAnswer.isXMLWhitespace) || (closing && children.isEmpty) {
                try budget.spend(run)
                text += run
            }
        }
        var next = node.pointee.children
        while let child = next {
            next = child.pointee.next
            switch child.pointee.type {
            case XML_ELEMENT_NODE:
                try endRun(closing: false)
                let element = try element(child, budget: &budget)
                children.append(element)
                text += element.stringValue
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = child.pointee.content { run += String(cString: content) }
            case XML_ENTITY_REF_NODE:
                run += try entityText(child, budget: &budget)
            default:
                break
            }
        }
        try endRun(closing: true)
        let name = node.pointee.name.map { String(cString: $0) } ?? ""
        // A prefix libxml2 found no namespace for stays in the name: drop it there too.
        let local = name.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? name
        return XMLAnswer.Element(name: local, children: children, stringValue: text)
    }

    /// The character data an internal entity reference stands for (its elements' text included). libxml2
    /// keeps the entity's parsed content under its declaration, which the reference node points to.
    private static func entityText(_ reference: xmlNodePtr, budget: inout TextBudget) throws -> String {
        guard let declaration = reference.pointee.children, declaration.pointee.type == XML_ENTITY_DECL else { return "" }
        let entity = UnsafeMutableRawPointer(declaration).assumingMemoryBound(to: xmlEntity.self)
        guard entity.pointee.etype == XML_INTERNAL_GENERAL_ENTITY else { return "" }
        var text = ""
        var next = entity.pointee.children
        while let node = next {
            next = node.pointee.next
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { text += String(cString: content) }
            case XML_ELEMENT_NODE:
                text += try element(node, budget: &budget).stringValue
            case XML_ENTITY_REF_NODE:
                text += try entityText(node, budget: &budget)
            default:
                break
            }
        }
        try budget.spend(text)
        return text
    }
}
