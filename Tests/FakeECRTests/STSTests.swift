import FakeECR
import FakeECRTesting
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("STS")
struct STSTests {
    static func form(_ fake: TestFakeECR, _ body: String, accessKey: String = "AKIAIOSFODNN7EXAMPLE") async throws -> HTTPAnswer {
        try await fake.send("POST", "/", headers: [
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(accessKey)/20250101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00"),
        ], body: Data(body.utf8))
    }

    static func value(_ answer: HTTPAnswer, _ path: String) throws -> String? {
        let document = try XMLDocument(data: answer.body)
        return try document.nodes(forXPath: path).first?.stringValue
    }

    @Test func getCallerIdentity() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let answer = try await Self.form(fake, "Action=GetCallerIdentity&Version=2011-06-15")
            #expect(answer.status == 200)
            #expect(answer.header("content-type") == "text/xml")
            #expect(answer.text.contains(#"xmlns="https://sts.amazonaws.com/doc/2011-06-15/""#))
            #expect(try Self.value(answer, "/*[local-name()='GetCallerIdentityResponse']/*[local-name()='GetCallerIdentityResult']/*[local-name()='Account']") == "123456789012")
            #expect(try Self.value(answer, "//*[local-name()='Arn']") == "arn:aws:iam::123456789012:user/fake-ecr-user")
            #expect(try Self.value(answer, "//*[local-name()='RequestId']")?.count == 36)
            // Query string form too.
            let viaQuery = try await fake.send("GET", "/?Action=GetCallerIdentity&Version=2011-06-15")
            #expect(viaQuery.status == 200)
            #expect(await fake.server.requestCounts()["sts:GetCallerIdentity"] == 2)
        }
    }

    @Test func assumeRoleMapsTheTemporaryKeyToTheTargetAccount() async throws {
        let accounts = AccountsFile(accounts: [
            .init(accountId: "111111111111", accessKeyId: "AKIAGRADER0000000001", secretAccessKey: "grader-secret", userName: "grader"),
            .init(accountId: "222222222222", accessKeyId: "AKIASTUDENT000000001", secretAccessKey: "student-secret", userName: "student01",
                  assumableRoles: [AssumableRole(arn: "arn:aws:iam::222222222222:role/LabCheckGrader", trustedAccounts: ["111111111111"])]),
        ])
        try await TestFakeECR.with(FakeECRConfiguration(accounts: accounts)) { fake in
            let me = try await Self.form(fake, "Action=GetCallerIdentity&Version=2011-06-15", accessKey: "AKIAGRADER0000000001")
            #expect(try Self.value(me, "//*[local-name()='Arn']") == "arn:aws:iam::111111111111:user/grader")

            let assumed = try await Self.form(
                fake, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FLabCheckGrader&RoleSessionName=grading",
                accessKey: "AKIAGRADER0000000001")
            #expect(assumed.status == 200, "\(assumed.text)")
            let key = try #require(try Self.value(assumed, "//*[local-name()='AccessKeyId']"))
            #expect(key.hasPrefix("ASIA") && key.count == 20)
            #expect(try Self.value(assumed, "//*[local-name()='SessionToken']") != nil)
            #expect(try Self.value(assumed, "//*[local-name()='Expiration']") != nil)
            #expect(try Self.value(assumed, "//*[local-name()='AssumedRoleUser']/*[local-name()='Arn']") == "arn:aws:sts::222222222222:assumed-role/LabCheckGrader/grading")

            let asRole = try await Self.form(fake, "Action=GetCallerIdentity&Version=2011-06-15", accessKey: key)
            #expect(try Self.value(asRole, "//*[local-name()='Account']") == "222222222222")
            #expect(try Self.value(asRole, "//*[local-name()='Arn']") == "arn:aws:sts::222222222222:assumed-role/LabCheckGrader/grading")
            let created = try await fake.ecr("CreateRepository", #"{"repositoryName":"x1"}"#, region: "ap-northeast-1", accessKey: key)
            #expect((created.json["repository"] as? [String: Any])?["registryId"] as? String == "222222222222")

            let denied = try await Self.form(
                fake, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FAdmin&RoleSessionName=grading",
                accessKey: "AKIAGRADER0000000001")
            #expect(denied.status == 403)
            #expect(try Self.value(denied, "//*[local-name()='Code']") == "AccessDenied")
            #expect(try Self.value(denied, "//*[local-name()='Type']") == "Sender")
            #expect(try Self.value(denied, "//*[local-name()='Message']") ==
                "User: arn:aws:iam::111111111111:user/grader is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Admin")
            #expect(denied.text.contains("<ErrorResponse"))

            let badArn = try await Self.form(fake, "Action=AssumeRole&RoleArn=nope&RoleSessionName=s1", accessKey: "AKIAGRADER0000000001")
            #expect(badArn.status == 400)
            #expect(try Self.value(badArn, "//*[local-name()='Code']") == "ValidationError")
            let unknownAction = try await Self.form(fake, "Action=GetSessionToken", accessKey: "AKIAGRADER0000000001")
            #expect(try Self.value(unknownAction, "//*[local-name()='Code']") == "InvalidAction")
        }
    }
}
