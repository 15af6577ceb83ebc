import AWSCore
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import AWSCore

/// `XMLAnswer` reads answers with libxml2 into a tree of its own; each element of an AWS-like answer must
/// have the local name, the elements and the text (`stringValue`) FoundationXML's document gives it.
/// Bodies no AWS answer is like (processing instructions, DTDs, names not UTF-8, other encodings) are
/// read by the same rule, or refused, and never crash.
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

    /// XMLNode's `stringValue` counts a comment's text; the reader does not (nor a processing instruction's).
    @Test("comments are not text; CDATA is")
    func commentsAndCDATA() throws {
        let answer = try XMLAnswer(data: Data("<r>a<!-- c -->d<![CDATA[e]]><s>f<!-- g --></s></r>".utf8))
        let root = try #require(answer.element(named: "r"))
        #expect(root.stringValue == "adef")
        #expect(root.children.map(\.name) == ["s"])
        #expect(root.children.first?.stringValue == "f")
    }

    /// Each crashed FoundationXML's SAX bridge with a delegate (a NULL C string taken as present): they read,
    /// processing instructions and declarations not counted as text, an internal entity counted.
    @Test("processing instructions and DTDs read by the same rule", arguments: [
        ("<r>a<?p data?>b<s>f<?q?></s></r>", "abf"),
        (#"<?xml version="1.0"?><?q?><r>x</r>"#, "x"),
        ("<r>x</r><?q?>", "x"),
        (#"<!DOCTYPE r [<!NOTATION n SYSTEM "x">]><r>x</r>"#, "x"),
        ("<!DOCTYPE r [<!ATTLIST r a CDATA #IMPLIED>]><r>x</r>", "x"),
        (#"<!DOCTYPE r [<!ENTITY e SYSTEM "x" NDATA n>]><r>x</r>"#, "x"),
        // The run " ent " before <s/> is text; the blank after it, beside an element, is not.
        (#"<!DOCTYPE r [<!ENTITY e "ent<?q?>">]><r> &e; <s/> </r>"#, " ent "),
        (#"<!DOCTYPE r [<!ENTITY e "<i>in</i>&f;"><!ENTITY f "ner">]><r>&e;!</r>"#, "inner!"),
    ])
    func processingInstructionsAndDTDs(text: String, expected: String) throws {
        let answer = try XMLAnswer(data: Data(text.utf8))
        #expect(answer.rootName == "r")
        #expect(answer.text(at: []) == expected)
    }

    /// Nothing outside the body is read: an external DTD, an external entity or a file URL stay unread,
    /// and entities that multiply (the "billion laughs") are refused, not expanded.
    @Test("no file or network is read, and entities that multiply are refused")
    func nothingOutsideTheBody() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = directory.appendingPathComponent("secret.txt")
        try Data("SECRET".utf8).write(to: secret)
        let external = #"<!DOCTYPE r [<!ENTITY e SYSTEM "\#(secret.absoluteString)">]><r>&e;</r>"#
        let answer = try? XMLAnswer(data: Data(external.utf8))
        #expect(answer?.text(at: []).map { !$0.contains("SECRET") } ?? true)
        let dtd = directory.appendingPathComponent("x.dtd")
        try Data(#"<!ENTITY d "SECRET">"#.utf8).write(to: dtd)
        let withDTD = #"<!DOCTYPE r SYSTEM "\#(dtd.absoluteString)"><r>&d;</r>"#
        #expect((try? XMLAnswer(data: Data(withDTD.utf8)))?.text(at: []).map { !$0.contains("SECRET") } ?? true)

        var laughs = #"<!DOCTYPE r [<!ENTITY l0 "lol">"#
        for level in 1...9 { laughs += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">" }
        laughs += "]><r>&l9;</r>"
        #expect(throws: XMLAnswer.ReadError.self) { try XMLAnswer(data: Data(laughs.utf8)) }
    }

    /// libxml2's errors are gathered per thread: answers read at once on many threads (as `grade` does) each
    /// get their own, so a good answer never takes another's error, nor a bad one lose its own.
    @Test("answers read on many threads at once keep their own errors")
    func concurrentReads() async {
        let good = Data(Self.answers[2].utf8)
        let bad = Data("<a>\n&bogus;</a>".utf8)
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for round in 0..<300 {
                        if (task + round) % 2 == 0 {
                            if (try? XMLAnswer(data: good))?.text(at: ["Error", "Code"]) != "AccessDenied" { wrong += 1 }
                        } else if (try? XMLAnswer(data: bad)) != nil {
                            wrong += 1
                        }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }

    /// A refusal says why, with libxml2's line and message.
    @Test("a refused body names libxml2's line and message")
    func refusalNamesTheProblem() {
        #expect {
            try XMLAnswer(data: Data("<a>\n&bogus;</a>".utf8))
        } throws: { error in
            let text = String(describing: error)
            return text.contains("line 2") && text.contains("bogus")
        }
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
        _ = try? XMLAnswer(data: Self.bytes(text))
    }

    @Test("a body declared ISO-8859-1 reads, transcoded")
    func latin1() throws {
        let answer = try XMLAnswer(data: Self.bytes(#"<?xml version="1.0" encoding="ISO-8859-1"?><R%E9><?t%E9 d?>caf%E9<!-- x --></R%E9>"#))
        #expect(answer.rootName == "Ré")
        #expect(answer.text(at: []) == "café")
    }
}
