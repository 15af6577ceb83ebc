import AWSCore
import Foundation
import Testing

/// The verifier checks the credential scope's service, compares the signature exactly (lowercase hex)
/// and verifies presigned (query-string) requests, against the aws-c-auth presigned vectors too.
@Suite("SigV4 verifier: service scope, signature form, presigned requests")
struct SigV4VerifierScopeTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let date = Date(timeIntervalSince1970: 1_700_000_000)
    static let ecr = SigV4Verifier(services: ["ecr"])

    static func signer(service: String) -> SigV4Signer {
        SigV4Signer(credentials: Credentials(accessKeyId: "AKIAEXAMPLE", secretAccessKey: secret), region: "us-east-1", service: service)
    }

    static var request: SignableRequest {
        SignableRequest(
            method: "POST", path: "/",
            headers: [
                HTTPHeaderField(name: "Host", value: "api.ecr.us-east-1.amazonaws.com"),
                HTTPHeaderField(name: "X-Amz-Target", value: "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"),
                HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.1"),
            ],
            body: Data("{}".utf8))
    }

    @Test("a request scoped to s3 is refused by an ECR endpoint, in AWS's words", arguments: ["s3", "sts", "ECR"])
    func otherServiceIsRefused(service: String) {
        let signed = Self.signer(service: service).sign(Self.request, date: Self.date)
        let result = Self.ecr.verify(signed, secretAccessKey: Self.secret, now: Self.date)
        #expect(result == .wrongService(expected: ["ecr"], found: service))
        #expect(result.description == "Credential should be scoped to correct service: 'ecr'. ")

        let presigned = Self.signer(service: service).presign(Self.request, date: Self.date, expires: 300)
        #expect(Self.ecr.verify(presigned, secretAccessKey: Self.secret, now: Self.date) == .wrongService(expected: ["ecr"], found: service))
        // The same requests verify where their service is expected.
        #expect(SigV4Verifier(services: [service]).verify(signed, secretAccessKey: Self.secret, now: Self.date) == .valid)
    }

    @Test("an endpoint serving two services accepts either")
    func twoServices() {
        let both = SigV4Verifier(services: ["ecr", "sts"])
        for service in ["ecr", "sts"] {
            let signed = Self.signer(service: service).sign(Self.request, date: Self.date)
            #expect(both.verify(signed, secretAccessKey: Self.secret, now: Self.date) == .valid)
        }
        let s3 = Self.signer(service: "s3").sign(Self.request, date: Self.date)
        #expect(both.verify(s3, secretAccessKey: Self.secret, now: Self.date).description
            == "Credential should be scoped to correct service: 'ecr' or 'sts'. ")
    }

    @Test("an uppercase hex signature is not the signature")
    func uppercaseSignatureIsAMismatch() throws {
        let signed = Self.signer(service: "ecr").sign(Self.request, date: Self.date)
        #expect(Self.ecr.verify(signed, secretAccessKey: Self.secret, now: Self.date) == .valid)
        let header = try #require(signed.headerValue(named: "Authorization"))
        let signature = try #require(header.components(separatedBy: "Signature=").last)
        #expect(signature == signature.lowercased())
        var upper = signed
        upper.setHeader(name: "Authorization", value: header.replacingOccurrences(of: signature, with: signature.uppercased()))
        guard case .signatureMismatch = Self.ecr.verify(upper, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("an uppercase signature must not verify")
            return
        }

        let presigned = Self.signer(service: "ecr").presign(Self.request, date: Self.date, expires: 300)
        let query = presigned.query
        let value = try #require(query.components(separatedBy: "X-Amz-Signature=").last)
        var upperQuery = presigned
        upperQuery.query = query.replacingOccurrences(of: value, with: value.uppercased())
        guard case .signatureMismatch = Self.ecr.verify(upperQuery, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("an uppercase presigned signature must not verify")
            return
        }
    }

    @Test("aws-c-auth presigned vectors verify as sent, and expire after X-Amz-Expires", arguments: SigV4Vectors.awslabsCases)
    func presignedVectorsVerify(_ name: String) throws {
        let context = try SigV4Vectors.context(name)
        // A token added after signing is not part of what a service checks.
        guard !context.options.omitSessionTokenFromSignature else { return }
        let date = try #require(context.date)
        let request = try SigV4RawHTTP.parse(try SigV4Vectors.awslabsFile(name, "query-signed-request.txt"))
        let verifier = SigV4Verifier(services: [context.service], options: SigV4Options(normalizePath: context.normalize))
        let secret = context.credentials.secretAccessKey
        let expires = TimeInterval(context.expirationInSeconds)

        #expect(verifier.verify(request, secretAccessKey: secret, now: date) == .valid)
        #expect(verifier.verify(request, secretAccessKey: secret, now: date.addingTimeInterval(expires)) == .valid)
        #expect(verifier.verify(request, secretAccessKey: secret, now: date.addingTimeInterval(expires + 1))
            == .expired(expiredAt: date.addingTimeInterval(expires), now: date.addingTimeInterval(expires + 1)))
        guard case .signatureMismatch = verifier.verify(request, secretAccessKey: "wrong-secret", now: date) else {
            Issue.record("\(name): a wrong secret must not verify")
            return
        }
        #expect(SigV4Verifier(services: ["ecr"]).verify(request, secretAccessKey: secret, now: date)
            == .wrongService(expected: ["ecr"], found: context.service))
        let authorization = try verifier.authorization(of: request)
        #expect(authorization.accessKeyId == context.credentials.accessKeyId)
        #expect(authorization.service == context.service)
        #expect(verifier.sessionToken(of: request) == context.credentials.token)
    }

    @Test("presigned requests: missing parameters, unsigned Host and a date in the future are refused")
    func presignedProblems() throws {
        let presigned = Self.signer(service: "ecr").presign(Self.request, date: Self.date, expires: 300)
        var missing = presigned
        missing.query = presigned.query.components(separatedBy: "&").filter { !$0.hasPrefix("X-Amz-Expires=") }.joined(separator: "&")
        guard case .malformed(let error) = Self.ecr.verify(missing, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a presigned request without X-Amz-Expires must be malformed")
            return
        }
        #expect(error.code == .incompleteSignature)
        #expect(error.message.contains("X-Amz-Expires"))

        var noHost = presigned
        noHost.query = presigned.query.replacingOccurrences(of: "X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-target", with: "X-Amz-SignedHeaders=content-type%3Bx-amz-target")
        #expect(noHost.query != presigned.query)
        guard case .malformed(let hostError) = Self.ecr.verify(noHost, secretAccessKey: Self.secret, now: Self.date) else {
            Issue.record("a presigned request that does not sign Host must be malformed")
            return
        }
        #expect(hostError.message == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")

        guard case .requestTimeTooSkewed = Self.ecr.verify(presigned, secretAccessKey: Self.secret, now: Self.date.addingTimeInterval(-3600)) else {
            Issue.record("a presigned request dated an hour ahead must be refused")
            return
        }
    }
}
