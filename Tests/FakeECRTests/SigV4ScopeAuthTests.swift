import AWSCore
import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// `--auth sigv4`: the credential scope must name the service called (ECR `ecr`, STS `sts`, on one port),
/// the signature must be exactly the lowercase hex computed, and presigned (query-string) requests work.
@Suite("--auth sigv4: service scope, signature form, presigned requests")
struct SigV4ScopeAuthTests {
    static let accounts = SigV4AuthTests.accounts
    static let key = "AKIASTUDENT000000001"
    static let secret = "right-secret"

    static func host(_ fake: TestFakeECR) -> String {
        "\(fake.server.endpoint.host ?? "127.0.0.1"):\(fake.server.port)"
    }

    static func signer(service: String) -> SigV4Signer {
        SigV4Signer(credentials: Credentials(accessKeyId: key, secretAccessKey: secret), region: "ap-northeast-1", service: service)
    }

    /// DescribeRepositories signed with `service` in its scope; `transform` may change the Authorization header.
    static func ecrCall(_ fake: TestFakeECR, service: String, transform: (String) -> String = { $0 }) async throws -> HTTPAnswer {
        let request = SignableRequest(method: "POST", path: "/", headers: [
            HTTPHeaderField(name: "Host", value: host(fake)),
            HTTPHeaderField(name: "X-Amz-Target", value: "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"),
            HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.1"),
        ], body: Data("{}".utf8))
        var signed = signer(service: service).sign(request, date: Date())
        if let authorization = signed.headerValue(named: "Authorization") {
            signed.setHeader(name: "Authorization", value: transform(authorization))
        }
        let headers = signed.headers.filter { $0.name.lowercased() != "host" }.map { ($0.name, $0.value) }
        return try await fake.send("POST", "/", headers: headers, body: signed.body)
    }

    /// STS GetCallerIdentity presigned as a GET (as EKS tokens are), scoped to `service`.
    static func presignedIdentity(_ fake: TestFakeECR, service: String, date: Date = Date(), expires: Int = 900) async throws -> HTTPAnswer {
        let request = SignableRequest(
            method: "GET", path: "/", query: "Action=GetCallerIdentity&Version=2011-06-15",
            headers: [HTTPHeaderField(name: "Host", value: host(fake))])
        let presigned = signer(service: service).presign(request, date: date, expires: expires)
        return try await fake.send("GET", "/?" + presigned.query)
    }

    @Test("ECR refuses a request scoped to s3 or sts; STS refuses one scoped to ecr")
    func wrongServiceIsRefused() async throws {
        try await TestFakeECR.with(FakeECRConfiguration(accounts: Self.accounts, authMode: .sigv4)) { fake in
            let ok = try await Self.ecrCall(fake, service: "ecr")
            #expect(ok.status == 200, "\(ok.text)")
            for service in ["s3", "sts"] {
                let wrong = try await Self.ecrCall(fake, service: service)
                expectECRError(wrong, "InvalidSignatureException", messageContains: "Credential should be scoped to correct service: 'ecr'.")
            }
            let sts = try await Self.presignedIdentity(fake, service: "ecr")
            #expect(sts.status == 403, "\(sts.text)")
            #expect(sts.text.contains("<Code>SignatureDoesNotMatch</Code>"), "\(sts.text)")
            #expect(sts.text.contains("Credential should be scoped to correct service: &apos;sts&apos;.") || sts.text.contains("Credential should be scoped to correct service: 'sts'."), "\(sts.text)")
        }
    }

    @Test("an uppercase hex signature is refused")
    func uppercaseSignatureIsRefused() async throws {
        try await TestFakeECR.with(FakeECRConfiguration(accounts: Self.accounts, authMode: .sigv4)) { fake in
            let upper = try await Self.ecrCall(fake, service: "ecr") { header in
                guard let range = header.range(of: "Signature=") else { return header }
                return String(header[..<range.upperBound]) + header[range.upperBound...].uppercased()
            }
            expectECRError(upper, "InvalidSignatureException", messageContains: "The request signature we calculated does not match")
        }
    }

    @Test("a presigned STS GetCallerIdentity is accepted until X-Amz-Expires passes; a wrong secret is refused")
    func presignedRequests() async throws {
        try await TestFakeECR.with(FakeECRConfiguration(accounts: Self.accounts, authMode: .sigv4)) { fake in
            let ok = try await Self.presignedIdentity(fake, service: "sts")
            #expect(ok.status == 200, "\(ok.text)")
            #expect(ok.text.contains("<Account>111111111111</Account>"), "\(ok.text)")

            let expired = try await Self.presignedIdentity(fake, service: "sts", date: Date().addingTimeInterval(-600), expires: 60)
            #expect(expired.status == 403, "\(expired.text)")
            #expect(expired.text.contains("Request has expired"), "\(expired.text)")

            let request = SignableRequest(
                method: "GET", path: "/", query: "Action=GetCallerIdentity&Version=2011-06-15",
                headers: [HTTPHeaderField(name: "Host", value: Self.host(fake))])
            let forged = SigV4Signer(
                credentials: Credentials(accessKeyId: Self.key, secretAccessKey: "wrong-secret"), region: "ap-northeast-1", service: "sts"
            ).presign(request, date: Date())
            let refused = try await fake.send("GET", "/?" + forged.query)
            #expect(refused.status == 403, "\(refused.text)")
            #expect(refused.text.contains("<Code>SignatureDoesNotMatch</Code>"), "\(refused.text)")
            #expect(!refused.text.contains("wrong-secret") && !refused.text.contains(Self.secret))
        }
    }
}
