import HTTPTypes
import Testing

@testable import FakeECR

/// `HTTPFields.value(_:)` reads a field as the subscript does, repeated fields joined included.
@Suite struct HeaderValueTests {
    @Test("absent, one, repeated, differently cased and Cookie fields read as the subscript reads them")
    func readsAsTheSubscript() throws {
        let target = try #require(HeaderNames.amzTarget)
        var fields = HTTPFields()
        #expect(fields.value(target) == nil)
        fields.append(HTTPField(name: try #require(HTTPField.Name("x-amz-target")), value: "AmazonEC2ContainerRegistry_V20150921.ListImages"))
        #expect(fields.value(target) == "AmazonEC2ContainerRegistry_V20150921.ListImages")
        fields.append(HTTPField(name: .userAgent, value: "aws-cli/2"))
        fields.append(HTTPField(name: target, value: "second"))
        #expect(fields.value(target) == fields[target])
        #expect(fields.value(target) == "AmazonEC2ContainerRegistry_V20150921.ListImages, second")
        #expect(fields.value(.userAgent) == "aws-cli/2")
        fields.append(HTTPField(name: .cookie, value: "a=1"))
        fields.append(HTTPField(name: .cookie, value: "b=2"))
        #expect(fields.value(.cookie) == fields[.cookie])
        #expect(fields.value(nil) == nil)
    }

    @Test("an ECR answer's headers: content type, the error's type when it is one, the request id")
    func answerHeaders() {
        let ok = ECRJSON.headers(requestId: "r-1")
        #expect(ok.map(\.name.canonicalName) == ["content-type", "x-amzn-requestid"])
        #expect(ok[.contentType] == "application/x-amz-json-1.1")
        let refused = ECRJSON.headers(requestId: "r-2", errorType: "RepositoryNotFoundException")
        #expect(refused.map(\.name.canonicalName) == ["content-type", "x-amzn-errortype", "x-amzn-requestid"])
        #expect(refused.value(HeaderNames.amznErrorType) == "RepositoryNotFoundException:")
        #expect(refused.value(HeaderNames.amznRequestId) == "r-2")
    }
}
