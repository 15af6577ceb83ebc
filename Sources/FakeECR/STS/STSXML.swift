import ECRWire
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// STS's XML bodies, built with a parser-backed writer (XMLDocument), in `STSWire.namespace`
/// with the element names of `STSWire` (the ones the client reads).
enum STSXML {
    typealias Element = STSWire.Element
    static let contentType = "text/xml"

    /// A child element: either text or nested elements.
    enum Node {
        case text(String, String)
        case element(String, [Node])
    }

    static func element(_ node: Node) -> XMLElement {
        switch node {
        case .text(let name, let value):
            return XMLElement(name: name, stringValue: value)
        case .element(let name, let children):
            let element = XMLElement(name: name)
            for child in children { element.addChild(self.element(child)) }
            return element
        }
    }

    static func document(root name: String, children: [Node]) -> Data {
        let root = XMLElement(name: name)
        if let attribute = XMLNode.attribute(withName: "xmlns", stringValue: STSWire.namespace) as? XMLNode {
            root.addAttribute(attribute)
        }
        for child in children { root.addChild(element(child)) }
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [.nodePrettyPrint])
    }

    /// `<XResponse><XResult>…</XResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></XResponse>`
    static func response(action: STSWire.Action, result: [Node], requestId: String) -> Data {
        document(root: action.responseElement, children: [
            .element(action.resultElement, result),
            .element(Element.responseMetadata, [.text(Element.requestId, requestId)]),
        ])
    }

    static func error(_ error: STSError, requestId: String) -> Data {
        document(root: Element.errorResponse, children: [
            .element(Element.error, [.text(Element.type, error.type), .text(Element.code, error.code), .text(Element.message, error.message)]),
            .text(Element.requestId, requestId),
        ])
    }
}
