import AWSCore
import FakeECR
import FakeECRTesting
import Foundation
import Testing

@Suite("--auth sigv4")
struct SigV4AuthTests {
    static let accounts = AccountsFile(accounts: [
        .init(accountId: "111111111111", accessKeyId: "AKIASTUDENT000000001", secretAccessKey: "right-secret", userName: "student01"),
    ])

    static func signedCall(_ fake: TestFakeECR, key: String, secret: String, operation: String = "DescribeRepositories", body: String = "{}") async throws -> HTTPAnswer {
        let url = fake.server.endpoint
        let host = "\(url.host ?? "127.0.0.1"):\(fake.server.port)"
        let request = SignableRequest(method: "POST", path: "/", headers: [
            HTTPHeaderField(name: "Host", value: host),
            HTTPHeaderField(name: "X-Amz-Target", value: "AmazonEC2ContainerRegistry_V20150921.\(operation)"),
            HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.1"),
        ], body: Data(body.utf8))
        let signer = SigV4Signer(credentials: Credentials(accessKeyId: key, secretAccessKey: secret), region: "ap-northeast-1", service: "ecr")
        let signed = signer.sign(request, date: Date())
        let headers = signed.headers.filter { $0.name.lowercased() != "host" }.map { ($0.name, $0.value) }
        return try await fake.send("POST", "/", headers: headers, body: signed.body)
    }

    @Test func rightSecretPassesWrongSecretAndUnknownKeyFail() async throws {
        try await TestFakeECR.with(FakeECRConfiguration(accounts: Self.accounts, authMode: .sigv4)) { fake in
            let ok = try await Self.signedCall(fake, key: "AKIASTUDENT000000001", secret: "right-secret", operation: "CreateRepository", body: #"{"repositoryName":"signed"}"#)
            #expect(ok.status == 200, "\(ok.text)")
            #expect((ok.json["repository"] as? [String: Any])?["repositoryArn"] as? String == "arn:aws:ecr:ap-northeast-1:111111111111:repository/signed")

            let wrong = try await Self.signedCall(fake, key: "AKIASTUDENT000000001", secret: "wrong-secret")
            expectECRError(wrong, "InvalidSignatureException", messageContains: "The request signature we calculated does not match the signature you provided")
            #expect(!wrong.text.contains("right-secret") && !wrong.text.contains("wrong-secret"))

            let unknown = try await Self.signedCall(fake, key: "AKIAUNKNOWN000000001", secret: "whatever")
            expectECRError(unknown, "UnrecognizedClientException", messageContains: "The security token included in the request is invalid.")

            expectECRError(try await fake.ecr("DescribeRepositories"), "MissingAuthenticationTokenException")
            expectECRError(try await fake.ecr("DescribeRepositories", region: "ap-northeast-1", accessKey: "AKIASTUDENT000000001"), "IncompleteSignatureException", messageContains: "X-Amz-Date")
        }
    }
}
