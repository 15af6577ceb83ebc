import AWSCore
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import AWSCore

/// `XMLAnswer` reads answers into a tree of its own with the SAX parser; each element must have the
/// local name, the elements and the text (`stringValue`) FoundationXML's document gives it. Bodies the
/// SAX bridge could crash on (names not UTF-8) are read by `XMLDocument` into the same tree.
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

    /// libxml2 recovers what it can, as it did for XMLDocument: the first root, its elements closed at a cut.
    @Test("cut and odd documents read as libxml2 recovers them")
    func recovered() throws {
        for text in ["<a/><b/>", "<a></a>text", "<a><b></a>"] {
            #expect(try XMLAnswer(data: Data(text.utf8)).rootName == "a", "\(text)")
        }
        let cut = try XMLAnswer(data: Data("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/a".utf8))
        #expect(cut.rootName == "GetCallerIdentityResponse")
        #expect(cut.text(at: ["GetCallerIdentityResult", "Arn"]) == "arn:aws:iam::1:user/a")
        // What the parser cannot read at all, or a declaration with no element, is no answer.
        #expect(throws: XMLAnswer.ReadError.self) { try XMLAnswer(data: Data("<a>&bogus;</a>".utf8)) }
        #expect(throws: XMLAnswer.ReadError.self) { try XMLAnswer(data: Data(#"<?xml version="1.0"?>"#.utf8)) }
    }

    static func same(_ ours: XMLAnswer.Element, _ theirs: XMLAnswer.Element, path: String) {
        #expect(ours.name == theirs.name, "\(path)")
        #expect(ours.stringValue == theirs.stringValue, "\(path)")
        #expect(ours.children.count == theirs.children.count, "\(path)")
        for (index, (child, other)) in zip(ours.children, theirs.children).enumerated() {
            same(child, other, path: path + "/\(index):" + child.name)
        }
    }

    @Test("the document reader, for bodies the delegate may not see, gives the SAX reader's tree", arguments: answers + [
        "<r>a<!-- c -->d<![CDATA[e]]><s>f<!-- g --></s></r>",
    ])
    func bothReadersAgree(text: String) throws {
        let data = Data(text.utf8)
        #expect(XMLAnswer.saxSafe(data))
        Self.same(try XMLAnswer.readWithDelegate(data), try XMLAnswer.readAsDocument(data), path: "")
    }

    /// Each crashed FoundationXML's SAX bridge with a delegate (a NULL C string taken as present): the
    /// document reader reads them, processing instructions and declarations not counted as text.
    @Test("processing instructions and DTDs are read by the document reader", arguments: [
        ("<r>a<?p data?>b<s>f<?q?></s></r>", "abf"),
        (#"<?xml version="1.0"?><?q?><r>x</r>"#, "x"),
        ("<r>x</r><?q?>", "x"),
        (#"<!DOCTYPE r [<!NOTATION n SYSTEM "x">]><r>x</r>"#, "x"),
        ("<!DOCTYPE r [<!ATTLIST r a CDATA #IMPLIED>]><r>x</r>", "x"),
        (#"<!DOCTYPE r [<!ENTITY e SYSTEM "x" NDATA n>]><r>x</r>"#, "x"),
        (#"<!DOCTYPE r [<!ENTITY e "ent<?q?>">]><r> &e; <s/> </r>"#, " ent  "),
    ])
    func processingInstructionsAndDTDs(text: String, expected: String) throws {
        let data = Data(text.utf8)
        #expect(!XMLAnswer.saxSafe(data))
        let answer = try XMLAnswer(data: data)
        #expect(answer.rootName == "r")
        #expect(try XMLAnswer.readAsDocument(data).stringValue == expected)
    }

    @Test("the delegate sees only UTF-8 (valid, no NUL, no other declared encoding) with no processing instruction or DTD")
    func saxSafety() {
        func safe(_ text: String) -> Bool { XMLAnswer.saxSafe(Self.bytes(text)) }
        #expect(safe("<a/>"))
        #expect(safe(#"<?xml version="1.0" encoding="UTF-8"?><a/>"#))
        #expect(safe("<?xml version='1.0' encoding = 'utf8' standalone='no'?><a>é</a>"))
        #expect(safe(#"%EF%BB%BF<?xml version="1.0"?><a/>"#))
        #expect(safe("<a><!-- c --><![CDATA[x]]></a>"))
        #expect(!safe("<a><![CDATA[<?x?>]]></a>"))  // the scan does not parse: text like markup is not judged
        #expect(!safe("<?xml-stylesheet?><a/>"))  // processing instructions, not the declaration
        #expect(!safe("<?XML foo?><a/>"))
        #expect(!safe(#"<?xml version="1.0"?><a><?p?></a>"#))
        #expect(!safe(#"<?xml versi<a><?p?>x</a>"#))  // a declaration whose `?>` is another's (fuzz-xml-sts)
        #expect(throws: XMLAnswer.ReadError.self) { try XMLAnswer(data: Self.bytes(#"<?xml versi<a><?p?>x</a>"#)) }
        #expect(!safe("<!DOCTYPE a><a/>"))
        #expect(!safe(#"<?xml version="1.0" encoding="ISO-8859-1"?><a/>"#))
        #expect(!safe(#"<?xml version="1.0" encoding="UTF-8" encoding="UTF-16"?><a/>"#))
        #expect(!safe(#"<?xml version="1.0" encoding=UTF-8?><a/>"#))
        #expect(!safe(#"<?xml version="1.0" encoding="UTF-8""#))  // no end to the declaration
        #expect(!safe("<a>%ED</a>"))
        #expect(!safe("<a>%ED%B0%80</a>"))  // an encoded surrogate
        #expect(!safe("<%00?%00x%00m%00l%00"))  // UTF-16LE by libxml2's detection
    }

    /// The bytes of `text` with each `%XX` a raw byte (which a Swift string cannot hold when it is not UTF-8).
    static func bytes(_ text: String) -> Data {
        var out = Data()
        var rest = Substring(text)
        while let first = rest.first {
            if first == "%", let byte = UInt8(rest.dropFirst().prefix(2), radix: 16) {
                out.append(byte)
                rest = rest.dropFirst(3)
            } else {
                out.append(contentsOf: first.utf8)
                rest = rest.dropFirst()
            }
        }
        return out
    }

    /// Each of these once reached, or could reach, a force-unwrap of FoundationXML's SAX bridge with a
    /// name that is not UTF-8 (a processing instruction's target, an element's, an attribute's, a comment,
    /// an entity's; UTF-16 with a lone surrogate): each reads or is refused, never crashes.
    @Test("names that are not UTF-8 are read or refused, never crash", arguments: [
        "<?x%EDl ?><r/>",
        "<r%ED>x</r%ED>",
        "<r><!-- %FF --></r>",
        #"<r a%C3="1"/>"#,
        #"<!DOCTYPE r [<!ENTITY e%ED "x">]><r>&e%ED;</r>"#,
        #"<?xml version="1.0" encoding="ISO-8859-1"?><r%E9><?t%E9 d?></r%E9>"#,
        "%FF%FE<%00r%00>%00%00%DC<%00/%00r%00>%00",
        "%FF%FE<%00?%00t%00%00%DC %00?%00>%00<%00r%00/%00>%00",
        "<%00?%00x%00m%00l%00 %00?%00>%00<%00r%00/%00>%00",
    ])
    func namesNotUTF8(text: String) {
        let body = Self.bytes(text)
        #expect(!XMLAnswer.saxSafe(body))
        _ = try? XMLAnswer(data: body)
    }

    @Test("a body declared ISO-8859-1 reads, transcoded")
    func latin1() throws {
        let answer = try XMLAnswer(data: Self.bytes(#"<?xml version="1.0" encoding="ISO-8859-1"?><R%E9><?t%E9 d?>caf%E9<!-- x --></R%E9>"#))
        #expect(answer.rootName == "Ré")
        #expect(answer.text(at: []) == "café")
    }
}
