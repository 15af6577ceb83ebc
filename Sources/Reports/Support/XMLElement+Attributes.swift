import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

extension XMLElement {
    /// Adds an attribute; FoundationXML escapes the value when the document is written.
    func setAttribute(_ name: String, _ value: String) {
        // `attribute(withName:stringValue:)` is declared to return `Any`; it is always an XMLNode.
        if let attribute = XMLNode.attribute(withName: name, stringValue: value) as? XMLNode {
            addAttribute(attribute)
        }
    }
}
