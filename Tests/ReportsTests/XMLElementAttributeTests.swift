import Foundation
import Testing

@testable import Reports

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The one way the reports add XML attributes: values kept literally, and nothing kept alive after
/// the document is gone (every student's junit.xml used to leak its attributes while grading a class).
@Suite("XML attributes")
struct XMLElementAttributeTests {
    @Test("an attribute is released with its element")
    func attributeIsReleased() {
        weak var attribute: XMLNode?
        weak var element: XMLElement?
        do {
            let suite = XMLElement(name: "testsuite")
            let document = XMLDocument(rootElement: suite)
            suite.setAttribute("name", "s-001")
            attribute = suite.attribute(forName: "name")
            element = suite
            #expect(document.xmlString.contains("name=\"s-001\""))
        }
        #expect(attribute == nil, "the attribute outlived its document")
        #expect(element == nil, "the element outlived its document")
    }

    @Test("values are stored literally and escaped on output", arguments: [
        "plain", "a & b", "&amp; is not decoded", "<x a=\"1\">", "'single' \"double\"", "]]>", "line\nbreak\ttab", "메시지 ✔",
    ])
    func valuesRoundTrip(value: String) throws {
        let element = XMLElement(name: "property")
        element.setAttribute("value", value)
        let document = XMLDocument(rootElement: element)
        let parsed = try XMLDocument(data: Data(document.xmlString.utf8), options: [])
        #expect(parsed.rootElement()?.attribute(forName: "value")?.stringValue == value)
    }
}
