import AWSCore
import Foundation
import Testing

/// Every case of both AWS SigV4 test suites, compared byte for byte (see Vectors/SOURCES.txt).
@Suite("SigV4 test suites")
struct SigV4SuiteTests {
    @Test("both suites are in the test bundle, complete")
    func suitesArePresent() {
        #expect(SigV4Vectors.classicCases.count == 34)
        #expect(SigV4Vectors.awslabsCases.count == 38)
    }

    // MARK: Classic suite (botocore's aws4_testsuite)

    /// Session token and options per classic case, as its README describes.
    private static func classicSetup(_ name: String) throws -> (Credentials, SigV4Options) {
        func token(inCanonicalRequestOf caseName: String) throws -> String? {
            let creq = try SigV4Vectors.classicFile(caseName, "creq")
            return creq.split(separator: "\n").first { $0.hasPrefix("x-amz-security-token:") }
                .map { String($0.dropFirst("x-amz-security-token:".count)) }
        }
        var options = SigV4Options()
        var sessionToken = try token(inCanonicalRequestOf: name)
        if name.hasSuffix("post-sts-header-after") {
            // Same token as post-sts-header-before, added after signing.
            sessionToken = try token(inCanonicalRequestOf: "post-sts-token/post-sts-header-before/post-sts-header-before")
            options.omitSessionTokenFromSignature = true
            #expect(sessionToken != nil)
        }
        let credentials = Credentials(
            accessKeyId: SigV4Vectors.accessKeyId, secretAccessKey: SigV4Vectors.secretAccessKey, sessionToken: sessionToken
        )
        return (credentials, options)
    }

    @Test("aws4_testsuite (classic): canonical request, string to sign, Authorization", arguments: SigV4Vectors.classicCases)
    func classicCase(_ name: String) throws {
        let request = try SigV4RawHTTP.parse(try SigV4Vectors.classicFile(name, "req"))
        #expect(request.headerValue(named: "X-Amz-Date") == "20150830T123600Z")
        let (credentials, options) = try Self.classicSetup(name)
        let signer = SigV4Signer(credentials: credentials, region: SigV4Vectors.region, service: SigV4Vectors.service)
        let date = SigV4Vectors.date

        #expect(signer.canonicalRequest(for: request, date: date, options: options) == (try SigV4Vectors.classicFile(name, "creq")))
        #expect(signer.stringToSign(for: request, date: date, options: options) == (try SigV4Vectors.classicFile(name, "sts")))
        let authz = try SigV4Vectors.classicFile(name, "authz")
        #expect(signer.authorizationHeader(for: request, date: date, options: options) == authz)

        let signed = signer.sign(request, date: date, options: options)
        #expect(signed.headerValues(named: "Authorization") == [authz])
        #expect(signed.headerValues(named: "X-Amz-Date") == ["20150830T123600Z"])
        #expect(signed.headerValues(named: "X-Amz-Security-Token") == (credentials.sessionToken.map { [$0] } ?? []))

        // What the signer signed, the verifier accepts.
        let verifier = SigV4Verifier(services: [SigV4Vectors.service], options: options)
        let result = verifier.verify(signed, secretAccessKey: SigV4Vectors.secretAccessKey, now: date)
        #expect(result == .valid, "\(result)")
    }

    // MARK: awslabs suite (aws-c-auth), header signing

    @Test("aws-signing-test-suite-v4: header signing", arguments: SigV4Vectors.awslabsCases)
    func awslabsHeaderCase(_ name: String) throws {
        let context = try SigV4Vectors.context(name)
        let date = try #require(context.date)
        let request = try SigV4RawHTTP.parse(try SigV4Vectors.awslabsFile(name, "request.txt"))
        let signer = context.signer
        let options = context.options

        let products = signer.signingProducts(for: request, date: date, options: options)
        #expect(products.canonicalRequest == (try SigV4Vectors.awslabsFile(name, "header-canonical-request.txt")))
        #expect(products.stringToSign == (try SigV4Vectors.awslabsFile(name, "header-string-to-sign.txt")))
        #expect(products.signature == (try SigV4Vectors.awslabsFile(name, "header-signature.txt")))
        #expect(signer.signature(for: request, date: date, options: options) == products.signature)

        let signed = signer.sign(request, date: date, options: options)
        #expect(SigV4RawHTTP.serialize(signed) == (try SigV4Vectors.awslabsFile(name, "header-signed-request.txt")))

        let verifier = SigV4Verifier(services: [context.service], options: SigV4Options(normalizePath: context.normalize))
        let result = verifier.verify(signed, secretAccessKey: context.credentials.secretAccessKey, now: date)
        #expect(result == .valid, "\(result)")
    }

    // MARK: awslabs suite, presigned (query) signing

    @Test("aws-signing-test-suite-v4: presigned query signing", arguments: SigV4Vectors.awslabsCases)
    func awslabsQueryCase(_ name: String) throws {
        let context = try SigV4Vectors.context(name)
        let date = try #require(context.date)
        let request = try SigV4RawHTTP.parse(try SigV4Vectors.awslabsFile(name, "request.txt"))
        let signer = context.signer
        let options = context.options
        let expires = context.expirationInSeconds

        let products = signer.presigningProducts(for: request, date: date, expires: expires, options: options)
        #expect(products.canonicalRequest == (try SigV4Vectors.awslabsFile(name, "query-canonical-request.txt")))
        #expect(products.stringToSign == (try SigV4Vectors.awslabsFile(name, "query-string-to-sign.txt")))
        #expect(products.signature == (try SigV4Vectors.awslabsFile(name, "query-signature.txt")))

        let signed = signer.presign(request, date: date, expires: expires, options: options)
        #expect(SigV4RawHTTP.serialize(signed) == (try SigV4Vectors.awslabsFile(name, "query-signed-request.txt")))

        // The verifier accepts presigned requests too (except a token added after signing, which
        // a service that checks query signatures does not expect).
        if !options.omitSessionTokenFromSignature {
            let verifier = SigV4Verifier(services: [context.service], options: SigV4Options(normalizePath: context.normalize))
            let result = verifier.verify(signed, secretAccessKey: context.credentials.secretAccessKey, now: date)
            #expect(result == .valid, "\(result)")
        }
    }
}
