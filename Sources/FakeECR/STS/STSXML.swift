import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// STS's XML bodies, built with a parser-backed writer (XMLDocument), namespace
/// `https://sts.amazonaws.com/doc/2011-06-15/`.
enum STSXML {
    static let namespace = "https://sts.amazonaws.com/doc/2011-06-15/"
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
        if let attribute = XMLNode.attribute(withName: "xmlns", stringValue: namespace) as? XMLNode {
            root.addAttribute(attribute)
        }
        for child in children { root.addChild(element(child)) }
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [.nodePrettyPrint])
    }

    /// `<XResponse><XResult>…</XResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></XResponse>`
    static func response(action: String, result: [Node], requestId: String) -> Data {
        document(root: "\(action)Response", children: [
            .element("\(action)Result", result),
            .element("ResponseMetadata", [.text("RequestId", requestId)]),
        ])
    }

    static func error(_ error: STSError, requestId: String) -> Data {
        document(root: "ErrorResponse", children: [
            .element("Error", [.text("Type", error.type), .text("Code", error.code), .text("Message", error.message)]),
            .text("RequestId", requestId),
        ])
    }
}
