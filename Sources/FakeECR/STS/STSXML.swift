import AWSCore
import ECRWire
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// STS's XML bodies, in `STSWire.namespace` with the element names of `STSWire` (the ones the client
/// reads), written by the query protocol's one document writer (AWSCore's `QueryCoding`), as IAM's are.
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

    /// `<XResponse><XResult>…</XResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></XResponse>`
    static func response(action: STSWire.Action, result: [Node], requestId: String) -> Data {
        QueryCoding.responseDocument(
            action: action.rawValue, namespace: STSWire.namespace, result: element(.element(action.resultElement, result)), requestId: requestId)
    }

    static func error(_ error: STSError, requestId: String) -> Data {
        QueryCoding.errorDocument(namespace: STSWire.namespace, type: error.type, code: error.code, message: error.message, requestId: requestId)
    }
}
