import AWSCore
import Foundation
import Testing

@Suite("SigV4 verifier")
struct SigV4VerifierTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+secret=="
    static let date = Date(timeIntervalSince1970: 1_700_000_000)

    static var signer: SigV4Signer {
        SigV4Signer(
            credentials: Credentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: secret, sessionToken: token),
            region: "us-east-1", service: "ecr"
        )
    }

    /// An ECR JSON 1.1 call, as the AWS CLI sends it.
    static var ecrRequest: SignableRequest {
        SignableRequest(
            method: "POST", path: "/", query: "",
            headers: [
                HTTPHeaderField(name: "Host", value: "api.ecr.us-east-1.amazonaws.com"),
                HTTPHeaderField(name: "X-Amz-Target", value: "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"),
                HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.1"),
            ],
            body: Data(#"{"repositoryNames":["nginx/nginx"]}"#.utf8)
        )
    }

    static var signed: SignableRequest { signer.sign(ecrRequest, date: date) }

    let verifier = SigV4Verifier(services: ["ecr"])

    @Test func signThenVerifyIsValid() throws {
        let signed = Self.signed
        #expect(verifier.verify(signed, secretAccessKey: Self.secret, now: Self.date) == .valid)
        #expect(verifier.verify(signed, secretAccessKey: Self.secret, now: Self.date).isValid)
        let authorization = try verifier.authorization(of: signed)
        #expect(authorization.accessKeyId == "AKIAEXAMPLE")
        #expect(authorization.date == "20231114")
        #expect(authorization.region == "us-east-1")
        #expect(authorization.service == "ecr")
        #expect(authorization.signedHeaders == ["content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"])
        #expect(authorization.credentialScope == "20231114/us-east-1/ecr/aws4_request")
    }

    @Test func headerNameCaseAndUnsignedHeadersDoNotMatter() {
        var received = Self.signed
        // What a server framework may hand over: lowercased names, extra unsigned headers.
        received.headers = received.headers.map { HTTPHeaderField(name: $0.name.lowercased(), value: $0.value) }
        received.addHeader(name: "User-Agent", value: "aws-cli/2.17.0")
        received.addHeader(name: "Accept-Encoding", value: "identity")
        received.addHeader(name: "Connection", value: "keep-alive")
        #expect(verifier.verify(received, secretAccessKey: Self.secret, now: Self.date) == .valid)
    }

    @Test func wrongSecretIsAMismatchShowingTheCanonicalRequest() throws {
        let result = verifier.verify(Self.signed, secretAccessKey: "not-the-secret", now: Self.date)
        guard case .signatureMismatch(let canonical, let stringToSign) = result else {
            Issue.record("expected a signature mismatch, got \(result)")
            return
        }
        let products = Self.signer.signingProducts(for: Self.ecrRequest, date: Self.date)
        #expect(stringToSign == products.stringToSign)
        #expect(canonical == products.canonicalRequest.replacingOccurrences(of: Self.token, with: "<redacted>"))
        #expect(canonical.contains("x-amz-security-token:<redacted>"))
        #expect(!result.description.contains(Self.token))
        #expect(!result.description.contains(Self.secret))
        #expect(result.description.hasPrefix("The request signature we calculated does not match the signature you provided."))
    }

    @Test func tamperedBodyIsAMismatch() {
        var tampered = Self.signed
        tampered.body = Data(#"{"repositoryNames":["evil"]}"#.utf8)
        guard case .signatureMismatch = verifier.verify(tampered, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a changed body must not verify")
            return
        }
    }

    @Test func tamperedSignedHeaderIsAMismatch() {
        var tampered = Self.signed
        tampered.setHeader(name: "X-Amz-Target", value: "AmazonEC2ContainerRegistry_V20150921.DeleteRepository")
        guard case .signatureMismatch = verifier.verify(tampered, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a changed signed header must not verify")
            return
        }
        var missing = Self.signed
        missing.removeHeaders(named: "content-type")
        guard case .signatureMismatch = verifier.verify(missing, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a removed signed header must not verify")
            return
        }
        var otherPath = Self.signed
        otherPath.path = "/other"
        #expect(verifier.verify(otherPath, secretAccessKey: Self.secret, now: Self.date) != .valid)
        var otherQuery = Self.signed
        otherQuery.query = "a=b"
        #expect(verifier.verify(otherQuery, secretAccessKey: Self.secret, now: Self.date) != .valid)
        var otherMethod = Self.signed
        otherMethod.method = "PUT"
        #expect(verifier.verify(otherMethod, secretAccessKey: Self.secret, now: Self.date) != .valid)
    }

    @Test func contentSHA256HeaderMustMatchTheBody() {
        let s3Like = Self.signer.sign(Self.ecrRequest, date: Self.date, options: SigV4Options(addContentSHA256Header: true))
        #expect(verifier.verify(s3Like, secretAccessKey: Self.secret, now: Self.date) == .valid)
        var tampered = s3Like
        tampered.body = Data("other".utf8)
        guard case .contentSHA256Mismatch = verifier.verify(tampered, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a body that does not match x-amz-content-sha256 must be rejected")
            return
        }
        let unsigned = Self.signer.sign(
            Self.ecrRequest, date: Self.date, options: SigV4Options(addContentSHA256Header: true, signedBodyValue: "UNSIGNED-PAYLOAD")
        )
        #expect(unsigned.headerValue(named: "x-amz-content-sha256") == "UNSIGNED-PAYLOAD")
        var unsignedTampered = unsigned
        unsignedTampered.body = Data("anything".utf8)
        #expect(verifier.verify(unsignedTampered, secretAccessKey: Self.secret, now: Self.date) == .valid)
    }

    @Test(arguments: [-901.0, 901.0, 3600.0, -86_400.0])
    func skewedDateIsRejected(offset: TimeInterval) {
        let now = Self.date.addingTimeInterval(offset)
        let result = verifier.verify(Self.signed, secretAccessKey: Self.secret, now: now)
        #expect(result == .requestTimeTooSkewed(requestDate: Self.date, now: now, maxClockSkew: 900))
        if offset > 0 {
            #expect(result.description.hasPrefix("Signature expired: 20231114T221320Z is now earlier than"))
        } else {
            #expect(result.description.hasPrefix("Signature not yet current: 20231114T221320Z is still later than"))
        }
    }

    @Test(arguments: [-899.0, 0.0, 899.0])
    func dateWithinSkewIsAccepted(offset: TimeInterval) {
        #expect(verifier.verify(Self.signed, secretAccessKey: Self.secret, now: Self.date.addingTimeInterval(offset)) == .valid)
        #expect(
            verifier.verify(Self.signed, secretAccessKey: Self.secret, now: Self.date.addingTimeInterval(offset * 3), maxClockSkew: 3000)
                == .valid
        )
    }

    @Test func dateHeaderIsUsedWithoutXAmzDate() throws {
        // A client that signs the HTTP Date header instead of X-Amz-Date.
        var request = Self.ecrRequest
        request.addHeader(name: "Date", value: "Tue, 14 Nov 2023 22:13:20 GMT")
        let signer = SigV4Signer(credentials: Credentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: Self.secret), region: "us-east-1", service: "ecr")
        let products = signer.signingProducts(for: request, date: Self.date)
        // Build what such a client sends: its own signed headers, no X-Amz-Date.
        let signedNames = products.signedHeaders.filter { $0 != "x-amz-date" }
        #expect(signedNames.contains("date"))
        var sent = request
        sent.addHeader(
            name: "Authorization",
            value: "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20231114/us-east-1/ecr/aws4_request, SignedHeaders=\(signedNames.joined(separator: ";")), Signature=0000"
        )
        let result = verifier.verify(sent, secretAccessKey: Self.secret, now: Self.date)
        guard case .signatureMismatch(let canonical, let stringToSign) = result else {
            Issue.record("expected mismatch for a dummy signature, got \(result)")
            return
        }
        #expect(canonical.contains("date:Tue, 14 Nov 2023 22:13:20 GMT\n"))
        #expect(stringToSign.hasPrefix("AWS4-HMAC-SHA256\n20231114T221320Z\n20231114/us-east-1/ecr/aws4_request\n"))
    }

    @Test func presignedRequestsVerify() {
        let request = SignableRequest(
            method: "GET", path: "/v2/nginx/blobs/sha256:abc", query: "x=1",
            headers: [HTTPHeaderField(name: "Host", value: "localhost:5000")]
        )
        let presigned = Self.signer.presign(request, date: Self.date, expires: 600)
        #expect(presigned.query.hasPrefix("x=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20231114%2Fus-east-1%2Fecr%2Faws4_request&"))
        #expect(verifier.verify(presigned, secretAccessKey: Self.secret, now: Self.date.addingTimeInterval(599)) == .valid)
        #expect(
            verifier.verify(presigned, secretAccessKey: Self.secret, now: Self.date.addingTimeInterval(601))
                == .expired(expiredAt: Self.date.addingTimeInterval(600), now: Self.date.addingTimeInterval(601))
        )
        var tampered = presigned
        tampered.query = tampered.query.replacingOccurrences(of: "x=1", with: "x=2")
        guard case .signatureMismatch(let canonical, _) = verifier.verify(tampered, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a changed presigned query must not verify")
            return
        }
        #expect(canonical.contains("X-Amz-Security-Token=<redacted>"))
        #expect(!canonical.contains("IQoJ"))
    }

    // MARK: Malformed authentication

    @Test func missingAuthorizationIsMalformed() {
        var request = Self.signed
        request.removeHeaders(named: "authorization")
        #expect(
            verifier.verify(request, secretAccessKey: Self.secret, now: Self.date)
                == .malformed(SigV4Error(code: .missingAuthenticationToken, message: "Missing Authentication Token"))
        )
    }

    struct MalformedCase: Sendable, CustomTestStringConvertible {
        var header: String
        var code: SigV4Error.Code
        var fragments: [String]
        var testDescription: String { header }
    }

    static let malformedCases: [MalformedCase] = [
        MalformedCase(
            header: "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abcd",
            code: .incompleteSignature,
            fragments: [
                "Authorization header requires 'Credential' parameter.",
                "Authorization=AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abcd",
            ]
        ),
        MalformedCase(
            header: "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20231114/us-east-1/ecr/aws4_request",
            code: .incompleteSignature,
            fragments: [
                "Authorization header requires 'Signature' parameter.",
                "Authorization header requires 'SignedHeaders' parameter.",
            ]
        ),
        MalformedCase(
            header: "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20231114/us-east-1/aws4_request, SignedHeaders=host, Signature=ab",
            code: .authorizationHeaderMalformed,
            fragments: ["Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAEXAMPLE/20231114/us-east-1/aws4_request'"]
        ),
        MalformedCase(
            header: "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20231114/us-east-1/ecr/aws4, SignedHeaders=host, Signature=ab",
            code: .authorizationHeaderMalformed,
            fragments: ["Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4'."]
        ),
        MalformedCase(
            header: "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/2023-11-14/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=ab",
            code: .authorizationHeaderMalformed,
            fragments: ["Invalid credential date '2023-11-14'"]
        ),
        MalformedCase(
            header: "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20231114/us-east-1/ecr/aws4_request, SignedHeaders, Signature=ab",
            code: .incompleteSignature,
            fragments: ["'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header"]
        ),
        MalformedCase(
            header: "Basic QUtJQUVYQU1QTEU6d0phbHJYVXRuRkVNSQ==",
            code: .incompleteSignature,
            fragments: ["unsupported algorithm 'Basic'", "expected 'AWS4-HMAC-SHA256'"]
        ),
        MalformedCase(header: "   ", code: .missingAuthenticationToken, fragments: ["Authorization header is empty."]),
    ]

    @Test(arguments: malformedCases)
    func malformedAuthorizationIsAParseError(_ testCase: MalformedCase) {
        do {
            _ = try SigV4Authorization.parse(testCase.header)
            Issue.record("parsing '\(testCase.header)' should fail")
        } catch let error as SigV4Error {
            #expect(error.code == testCase.code)
            for fragment in testCase.fragments {
                #expect(error.message.contains(fragment), "\(error.message)")
            }
            #expect(!error.description.contains("QUtJQUVYQU1QTEU6d0phbHJYVXRuRkVNSQ=="))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        var request = Self.signed
        request.setHeader(name: "Authorization", value: testCase.header)
        guard case .malformed(let error) = verifier.verify(request, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("verify should report a malformed header")
            return
        }
        #expect(error.code == testCase.code)
    }

    @Test func parsesAValidHeader() throws {
        let parsed = try SigV4Authorization.parse(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=Host;x-amz-date, Signature=5fa00fa3"
        )
        #expect(parsed == SigV4Authorization(
            accessKeyId: "AKIDEXAMPLE", date: "20150830", region: "us-east-1", service: "service",
            signedHeaders: ["host", "x-amz-date"], signature: "5fa00fa3"
        ))
        // Commas without spaces, as some clients write them.
        let compact = try SigV4Authorization.parse(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,SignedHeaders=host,Signature=ab"
        )
        #expect(compact.signedHeaders == ["host"])
    }

    @Test func dateProblemsAreMalformed() {
        var noDate = Self.signed
        noDate.removeHeaders(named: "X-Amz-Date")
        guard case .malformed(let missing) = verifier.verify(noDate, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a request without a date must be rejected")
            return
        }
        #expect(missing.message.contains("requires existence of either a 'X-Amz-Date' or a 'Date' header"))

        var badDate = Self.signed
        badDate.setHeader(name: "X-Amz-Date", value: "2023-11-14T22:13:20Z")
        guard case .malformed(let bad) = verifier.verify(badDate, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a malformed date must be rejected")
            return
        }
        #expect(bad.message.contains("Date must be in ISO-8601 'basic format'. Got '2023-11-14T22:13:20Z'."))

        var otherDay = Self.signed
        otherDay.setHeader(name: "X-Amz-Date", value: "20231115T000000Z")
        guard case .malformed(let scope) = verifier.verify(otherDay, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a date outside the credential scope must be rejected")
            return
        }
        #expect(scope.message == "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231114' != '20231115', from '20231115T000000Z'.")
    }

    @Test func hostMustBeSigned() throws {
        let signer = SigV4Signer(credentials: Credentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: Self.secret), region: "us-east-1", service: "ecr")
        var request = Self.ecrRequest
        request.removeHeaders(named: "Host")
        var signed = signer.sign(request, date: Self.date)
        signed.addHeader(name: "Host", value: "api.ecr.us-east-1.amazonaws.com")
        guard case .malformed(let error) = verifier.verify(signed, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a request without a signed Host must be rejected")
            return
        }
        #expect(error.message == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    }
}
