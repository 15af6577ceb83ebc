import AWSCore
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import AWSCore

/// `XMLAnswer` reads answers into a tree of its own with the SAX parser; each element must have the
/// local name, the elements and the text (`stringValue`) FoundationXML's document gives it.
@Suite struct XMLAnswerTreeTests {
    static let answers: [String] = [
        #"<?xml version="1.0" encoding="UTF-8"?><AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><AssumedRoleId>AROA123:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s+/=</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2026-12-03T12:00:00Z</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>"#,
        "<ListUsersResponse>\n  <ListUsersResult>\n    <Users>\n      <member><UserName>a</UserName></member>\n      <member><UserName>b &amp; c &#x263A;</UserName></member>\n    </Users>\n    <IsTruncated>false</IsTruncated>\n  </ListUsersResult>\n</ListUsersResponse>\n",
        #"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not &lt;allowed&gt; "here"</Message></Error><RequestId>x</RequestId></ErrorResponse>"#,
        #"<sts:Root xmlns:sts="urn:x"><sts:Child>one</sts:Child>mixed <![CDATA[<raw> & text]]> tail<Empty/><Other a="1">two</Other></sts:Root>"#,
        "<Root><Blank>   </Blank><Mixed> x <b/> y \n</Mixed><Nested> <i> in </i> </Nested></Root>",
        "<Root><Map><entry><key>k</key><value>v</value></entry><entry><key>é☃😀</key><value> spaced </value></entry></Map></Root>",
    ]

    static func same(_ ours: XMLAnswer.Element, _ theirs: XMLElement, path: String) {
        #expect(ours.name == (theirs.localName ?? theirs.name), "\(path)")
        #expect(ours.stringValue == (theirs.stringValue ?? ""), "\(path)")
        let elements = (theirs.children ?? []).compactMap { $0 as? XMLElement }
        #expect(ours.children.count == elements.count, "\(path)")
        for (index, (child, element)) in zip(ours.children, elements).enumerated() {
            same(child, element, path: path + "/\(index):" + child.name)
        }
    }

    @Test("every element reads as FoundationXML's document reads it", arguments: answers)
    func matchesTheDocument(text: String) throws {
        let data = Data(text.utf8)
        let answer = try XMLAnswer(data: data)
        let document = try XMLDocument(data: data, options: [])
        let root = try #require(document.rootElement())
        #expect(answer.rootName == (root.localName ?? root.name))
        let ours = try #require(answer.element(named: answer.rootName))
        Self.same(ours, root, path: answer.rootName)
    }

    @Test("paths read the text, namespaces ignored")
    func paths() throws {
        let answer = try XMLAnswer(data: Data(Self.answers[3].utf8))
        #expect(answer.rootName == "Root")
        #expect(answer.text(at: ["Child"]) == "one")
        #expect(answer.text(at: ["Other"]) == "two")
        #expect(answer.text(at: []) == "onemixed <raw> & text tailtwo")
        let users = try XMLAnswer(data: Data(Self.answers[1].utf8))
        #expect(users.text(at: ["Users", "member", "UserName"]) == "a")
    }

    @Test("a second root, or text outside it, is not an answer", arguments: ["<a/><b/>", "<a></a>text", "<a><b></a>", "<a>"])
    func refused(text: String) {
        #expect(throws: XMLAnswer.ReadError.self) { try XMLAnswer(data: Data(text.utf8)) }
    }
}
