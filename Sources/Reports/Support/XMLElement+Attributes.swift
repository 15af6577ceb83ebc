import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

extension XMLElement {
    /// Adds an attribute; FoundationXML escapes the value when the document is written.
    ///
    /// Not through `XMLNode.attribute(withName:stringValue:)`: in swift-corelibs-foundation that
    /// factory wraps the libxml2 node with `XMLNode.init(ptr:)`, which retains the wrapper for ever,
    /// so every attribute (its node and text) leaked: about 100 KB per student while a class was
    /// graded (its junit.xml and its testsuite). A node made with `init(kind:)` is released with its
    /// element. Setting `stringValue` stores the text literally (entities are encoded, then decoded).
    func setAttribute(_ name: String, _ value: String) {
        let attribute = XMLNode(kind: .attribute)
        attribute.name = name
        attribute.stringValue = value
        addAttribute(attribute)
    }
}
