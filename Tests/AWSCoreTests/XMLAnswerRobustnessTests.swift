import AWSCore
import ECRWire
import Foundation
import Testing

/// XML answers that once crashed the process through FoundationXML (found by Fuzz/ fuzz-xml-sts; the inputs
/// are in Fuzz/Corpus/fuzz-xml-sts/), read by libxml2 directly now.
@Suite("XML answers FoundationXML cannot make a document of")
struct XMLAnswerRobustnessTests {
    /// libxml2 makes no document of a body declaring an encoding it does not know, and FoundationXML's
    /// `XMLDocument(data:)` then dereferenced nil (SIGSEGV) instead of throwing: an STS answer like this one
    /// crashed labcheck. It is a `ReadError` (bytes in an unknown encoding are not guessed at), and a
    /// query-protocol error answer like it is read as unreadable.
    @Test(arguments: [
        #"<?xml version="1.0" encoding="utf-8B" standalone="no"?><GetCallerIdentityResponse/>"#,
        #"<?xml version="1.0" encoding="no-such-encoding"?><ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>"#,
    ])
    func bodyWithoutADocumentIsAReadError(_ body: String) throws {
        #expect(throws: XMLAnswer.ReadError.self) { try XMLAnswer(data: Data(body.utf8)) }
        let error = QueryProtocol.decodeError(AWSHTTPResponse(status: 500, headers: [], body: Data(body.utf8)))
        #expect(error.httpStatus == 500)
    }

    @Test func crashingSTSAnswerFromTheFuzzerIsRefused() throws {
        let body = Data(#"""
            <?xml version="1.0" encoding="utf-8B" standalone="no"?>
            <GetCallerIdentityResponqe xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult>
                <Arn>arn:aws:iam::12345678901>ca1554ae-bd5c-80e8-ml version="1.0" encoding="utf-8" standalone="nata>
            <=/GetCall-TPdentityResponse>
            """#.utf8)
        #expect(throws: XMLAnswer.ReadError.self) { try XMLAnswer(data: body) }
    }

    /// A processing instruction whose target is not UTF-8 crashes FoundationXML's `XMLParser` when a delegate is
    /// set (found by fuzz-xml-sts in CI; the input is in Fuzz/Corpus/fuzz-xml-sts/pi-target-not-utf8.xml); libxml2,
    /// read directly, does not. The reader must answer or refuse it, never crash.
    @Test func processingInstructionTargetNotUTF8() {
        var body = Data("<?x".utf8)
        body.append(0xED)
        body.append(contentsOf: Data(#"l version="1.0"?>"#.utf8) + Data("\n<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>".utf8))
        let answer = try? XMLAnswer(data: body)
        #expect(answer == nil || answer?.rootName == "ErrorResponse")
        _ = QueryProtocol.decodeError(AWSHTTPResponse(status: 400, headers: [], body: body))
    }

    /// A well-formed answer still reads as before.
    @Test func wellFormedAnswerStillReads() throws {
        let body = #"<?xml version="1.0" encoding="UTF-8"?><GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/a</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"#
        let identity = try STSClient.callerIdentity(from: try XMLAnswer(data: Data(body.utf8)))
        #expect(identity.account == "123456789012")
        #expect(identity.arn == "arn:aws:iam::123456789012:user/a")
    }
}
