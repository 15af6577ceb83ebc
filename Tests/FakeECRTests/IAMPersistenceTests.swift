import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// IAM changes made through the IAM API live in `--data-dir` like the rest of the fake's state: after a restart the
/// user made with `aws iam`, its inline policy, its attached managed policy and its new access key are all there and
/// enforced, and a key deleted through the API stays deleted.
@Suite("IAM state across restarts with --data-dir", .serialized)
struct IAMPersistenceTests {
    typealias Lab = IAMEnforcementCLITests
    typealias API = IAMAPICLITests

    static func configuration(_ directory: URL) throws -> FakeECRConfiguration {
        var configuration = TestFakeECR.configuration()
        configuration.accounts = try AccountsFile.parse(Data(Lab.accountsJSON.utf8), file: "accounts.json")
        configuration.authMode = .sigv4
        configuration.iam = .enforce
        configuration.defaultRegion = Lab.region
        configuration.dataDirectory = directory
        return configuration
    }

    @Test(.enabled(if: ExternalTool.enabled("aws"), "aws CLI not installed"))
    func changesThroughTheAPISurviveARestart() async throws {
        try ExternalTool.require("aws")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pull = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:DescribeRepositories","Resource":"*"}]}"#
        // First run: a user with an inline policy, a managed policy attached, a new key; the puller's key deleted.
        let (key, secret, policyArn) = try await TestFakeECR.with(try Self.configuration(directory)) { fake in
            let admin = Lab.User(fake: fake, key: "AKIAIAMADMIN00000001", secret: "admin-secret")
            _ = try API.json(try await API.iam(admin, ["create-user", "--user-name", "student"]))
            #expect(try await API.iam(admin, ["put-user-policy", "--user-name", "student", "--policy-name", "describe", "--policy-document", pull]).status == 0)
            let created = try API.json(try await API.iam(admin, ["create-policy", "--policy-name", "Token", "--policy-document",
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}"#]))
            let arn = try #require((created["Policy"] as? [String: Any])?["Arn"] as? String)
            #expect(try await API.iam(admin, ["attach-user-policy", "--user-name", "student", "--policy-arn", arn]).status == 0)
            let made = try #require(try API.json(try await API.iam(admin, ["create-access-key", "--user-name", "student"]))["AccessKey"] as? [String: Any])
            #expect(try await API.iam(admin, ["delete-access-key", "--user-name", "puller", "--access-key-id", "AKIAIAMPULLER0000001"]).status == 0)
            return (try #require(made["AccessKeyId"] as? String), try #require(made["SecretAccessKey"] as? String), arn)
        }

        // Second run, same data directory and accounts file.
        try await TestFakeECR.with(try Self.configuration(directory)) { fake in
            let admin = Lab.User(fake: fake, key: "AKIAIAMADMIN00000001", secret: "admin-secret")
            let user = try API.json(try await API.iam(admin, ["get-user", "--user-name", "student"]))
            #expect((user["User"] as? [String: Any])?["Arn"] as? String == Lab.userArn("student"))
            let inline = try API.json(try await API.iam(admin, ["list-user-policies", "--user-name", "student"]))
            #expect(inline["PolicyNames"] as? [String] == ["describe"])
            let attached = try API.json(try await API.iam(admin, ["list-attached-user-policies", "--user-name", "student"]))
            #expect((attached["AttachedPolicies"] as? [[String: Any]])?.compactMap { $0["PolicyArn"] as? String } == [policyArn])

            // The key made through the API still signs, as the student, under the policies kept.
            let student = Lab.User(fake: fake, key: key, secret: secret)
            let describe = try await student.aws(["ecr", "describe-repositories"])
            #expect(describe.status == 0, "\(describe.summary)")
            #expect(try await student.aws(["ecr", "get-login-password"]).status == 0, "the attached managed policy is kept")
            let create = try await student.aws(["ecr", "create-repository", "--repository-name", "mine"])
            #expect(create.errors.contains(Lab.noIdentityPolicy("student", "CreateRepository", "mine")), "\(create.summary)")
            // The key deleted through the API stays deleted, though the accounts file declares it.
            let puller = Lab.User(fake: fake, key: "AKIAIAMPULLER0000001", secret: "puller-secret")
            let refused = try await puller.aws(["ecr", "get-login-password"])
            #expect(refused.errors.contains("UnrecognizedClientException"), "\(refused.summary)")
        }
    }
}
