/// A small HTML tree for the class report. All escaping happens here, in `render` and `startTag`: text and
/// attribute values are escaped (`&`, `<`, `>`, `"`, `'`) and characters HTML cannot hold (C0
/// controls other than tab, LF and CR; U+FFFE/U+FFFF) are made visible first. Only `style` and
/// `script` elements take raw text, and only from constants in this module (`HTMLNode.rawText`).
indirect enum HTMLNode: Sendable {
    case element(name: String, attributes: [HTMLAttribute], children: [HTMLNode])
    case text(String)
    /// The raw content of a `<style>` or `<script>` element: LabCheck's own constants only, never input.
    case rawText(StaticString)

    /// An element; attributes with a nil value are left out, in the order given.
    static func el(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], _ children: [HTMLNode] = []) -> HTMLNode {
        .element(name: name, attributes: Self.attributes(attributes), children: children)
    }

    /// The attributes of `pairs` whose value is not nil, in order.
    static func attributes(_ pairs: KeyValuePairs<String, String?>) -> [HTMLAttribute] {
        pairs.compactMap { pair in pair.value.map { HTMLAttribute(name: pair.key, value: $0) } }
    }

    /// An element holding only text.
    static func el(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], text: String) -> HTMLNode {
        el(name, attributes, [.text(text)])
    }

    /// Elements that have no end tag.
    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "input", "link", "col", "wbr"]

    func render(into out: inout String) {
        switch self {
        case .text(let text):
            out += Self.escape(text)
        case .rawText(let text):
            out += text.description
        case .element(let name, let attributes, let children):
            out += Self.startTag(name, attributes)
            guard !Self.voidElements.contains(name) else { return }
            for child in children { child.render(into: &out) }
            out += Self.endTag(name)
        }
    }

    /// This node as text.
    var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    /// `<name attr="value" …>`, values escaped; with `endTag(_:)`, for a page written in pieces
    /// around children that are rendered one at a time.
    static func startTag(_ name: String, _ attributes: [HTMLAttribute]) -> String {
        var out = "<" + name
        for attribute in attributes {
            out += " " + attribute.name + "=\"" + escape(attribute.value) + "\""
        }
        return out + ">"
    }

    /// `startTag(_:_:)` from the pairs `el` takes.
    static func startTag(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) -> String {
        startTag(name, Self.attributes(attributes))
    }

    /// `</name>`, and a line break after a block element.
    static func endTag(_ name: String) -> String {
        "</" + name + ">" + (blockElements.contains(name) ? "\n" : "")
    }

    /// Elements followed by a line break, so the file stays readable and diffable.
    private static let blockElements: Set<String> = [
        "html", "head", "body", "title", "style", "script", "section", "header", "footer", "main", "h1", "h2", "p",
        "table", "thead", "tbody", "tr", "ul", "li", "div",
    ]

    /// Text safe in element content and in double- or single-quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in TextSanitizer.xml(text).unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

/// One attribute of an `HTMLNode` element; its value is escaped when rendered.
struct HTMLAttribute: Sendable, Hashable {
    var name: String
    var value: String
}
