import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// The IAM query API with the real AWS CLI (`aws iam …`, `AWS_ENDPOINT_URL_IAM`): users, roles, keys,
/// inline and managed policies, and `simulate-principal-policy` agreeing with what `--iam enforce`
/// does for every lab action.
@Suite("IAM API with the AWS CLI", .serialized)
struct IAMAPICLITests {
    typealias Lab = IAMEnforcementCLITests

    /// The lab's actions, and what each principal of `IAMEnforcementCLITests`' accounts file may do on `lab/app`.
    static let labActions = [
        "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
        "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
    ]

    static func iam(_ user: Lab.User, _ arguments: [String]) async throws -> BoundedProcess.Result {
        try await BoundedProcess.run(["aws", "iam"] + arguments + ["--output", "json"], environment: [
            "AWS_ENDPOINT_URL_IAM": user.fake.base, "AWS_ACCESS_KEY_ID": user.key, "AWS_SECRET_ACCESS_KEY": user.secret, "AWS_DEFAULT_REGION": Lab.region,
            "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1",
        ], timeout: 300)
    }

    static func json(_ result: BoundedProcess.Result) throws -> [String: Any] {
        try #require(result.status == 0, "\(result.summary)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
    }

    /// `simulate-principal-policy` of `user` for the lab's actions on `lab/app` (GetAuthorizationToken on `*`).
    static func simulated(_ admin: Lab.User, _ user: String) async throws -> [String: String] {
        var decisions: [String: String] = [:]
        for action in labActions {
            let resource = action == "ecr:GetAuthorizationToken" ? "*" : Lab.repositoryArn("lab/app")
            let answer = try json(try await iam(admin, [
                "simulate-principal-policy", "--policy-source-arn", Lab.userArn(user), "--action-names", action, "--resource-arns", resource,
            ]))
            let result = try #require((answer["EvaluationResults"] as? [[String: Any]])?.first)
            decisions[action] = result["EvalDecision"] as? String
        }
        return decisions
    }

    @Test(.enabled(if: IAMEnforcementCLITests.enabled, "aws CLI or skopeo not installed"))
    func simulatePrincipalPolicyAgreesWithEnforcement() async throws {
        try ExternalTool.require("aws")
        try ExternalTool.require("skopeo")
        try await Lab.with { admin, puller, pusher, _ in
            for name in ["lab/app", "other"] { #expect(try await admin.aws(["ecr", "create-repository", "--repository-name", name]).status == 0) }
            let pull = try await Self.simulated(admin, "puller")
            #expect(pull.filter { $0.value == "allowed" }.keys.sorted() == [
                "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer",
            ], "\(pull)")
            #expect(pull.filter { $0.value == "implicitDeny" }.count == 4, "\(pull)")
            let push = try await Self.simulated(admin, "pusher")
            #expect(push.filter { $0.value == "allowed" }.keys.sorted() == ["ecr:GetAuthorizationToken"], "pusher's policy is on `other`: \(push)")

            // What enforcement does agrees: the pusher cannot push to lab/app; skopeo's first request there, a blob HEAD
            // (ecr:BatchCheckLayerAvailability), is refused, and a HEAD answer carries no body: skopeo says only 403.
            let refused = try await pusher.push("lab/app")
            #expect(refused.status != 0 && refused.errors.contains("403 (Forbidden)"), "\(refused.summary)")
            // … the puller's token works, it pulls what admin pushed; pushing a new tag, its layers are there already
            // (BatchCheckLayerAvailability is allowed), so the manifest PUT is the step refused.
            #expect(try await admin.push("lab/app").status == 0)
            #expect(try await puller.pull("lab/app").status == 0)
            let pushed = try await puller.push("lab/app", tag: "v2")
            #expect(pushed.errors.contains(Lab.noIdentityPolicy("puller", "PutImage", "lab/app")), "\(pushed.summary)")
            // Every allowed action of the simulation, and every refused one, as the gate sees it through the CLI.
            for (action, decision) in pull where action == "ecr:BatchGetImage" || action == "ecr:PutImage" {
                let call = action == "ecr:BatchGetImage"
                    ? ["ecr", "batch-get-image", "--repository-name", "lab/app", "--image-ids", "imageTag=v1"]
                    : ["ecr", "put-image", "--repository-name", "lab/app", "--image-tag", "x", "--image-manifest", "{}"]
                let result = try await puller.aws(call)
                #expect((result.status == 0) == (decision == "allowed") || (decision == "implicitDeny" && result.errors.contains("AccessDeniedException")),
                        "\(action): \(decision) vs \(result.summary)")
            }
        }
    }

    @Test(.enabled(if: ExternalTool.enabled("aws"), "aws CLI not installed"))
    func usersRolesKeysAndPoliciesThroughTheCLI() async throws {
        try ExternalTool.require("aws")
        try await Lab.with { admin, puller, _, _ in
            let user = try Self.json(try await Self.iam(admin, ["create-user", "--user-name", "student", "--tags", "Key=team,Value=lab"]))
            #expect((user["User"] as? [String: Any])?["Arn"] as? String == Lab.userArn("student"))
            let duplicate = try await Self.iam(admin, ["create-user", "--user-name", "student"])
            #expect(duplicate.errors.contains("(EntityAlreadyExists)") && duplicate.errors.contains("User with name student already exists."), "\(duplicate.summary)")
            let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*"}]}"#
            #expect(try await Self.iam(admin, ["put-user-policy", "--user-name", "student", "--policy-name", "pull", "--policy-document", policy]).status == 0)
            let inline = try Self.json(try await Self.iam(admin, ["get-user-policy", "--user-name", "student", "--policy-name", "pull"]))
            #expect(((inline["PolicyDocument"] as? [String: Any])?["Statement"] as? [[String: Any]])?.first?["Action"] as? String == "ecr:BatchGetImage")
            let created = try Self.json(try await Self.iam(admin, ["create-policy", "--policy-name", "Push", "--policy-document", policy]))
            let arn = try #require((created["Policy"] as? [String: Any])?["Arn"] as? String)
            #expect(try await Self.iam(admin, ["attach-user-policy", "--user-name", "student", "--policy-arn", arn]).status == 0)
            let attached = try Self.json(try await Self.iam(admin, ["list-attached-user-policies", "--user-name", "student"]))
            #expect((attached["AttachedPolicies"] as? [[String: Any]])?.first?["PolicyArn"] as? String == arn)
            let conflict = try await Self.iam(admin, ["delete-policy", "--policy-arn", arn])
            #expect(conflict.errors.contains("(DeleteConflict)"), "\(conflict.summary)")
            let malformed = try await Self.iam(admin, ["put-user-policy", "--user-name", "student", "--policy-name", "bad", "--policy-document", #"{"Statement":[{"Effect":"Allow","Action":"ecr:*"}]}"#])
            #expect(malformed.errors.contains("(MalformedPolicyDocument)") && malformed.errors.contains("Policy statement must contain resources."), "\(malformed.summary)")

            // A key made through the API signs at once, as the user it belongs to.
            let key = try Self.json(try await Self.iam(admin, ["create-access-key", "--user-name", "student"]))
            let accessKey = try #require(key["AccessKey"] as? [String: Any])
            let student = Lab.User(fake: admin.fake, key: try #require(accessKey["AccessKeyId"] as? String), secret: try #require(accessKey["SecretAccessKey"] as? String))
            let refused = try await student.aws(["ecr", "describe-repositories"])
            #expect(refused.errors.contains("User: \(Lab.userArn("student")) is not authorized to perform: ecr:DescribeRepositories"), "\(refused.summary)")

            let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/student"},"Action":"sts:AssumeRole"}]}"#
            let role = try Self.json(try await Self.iam(admin, ["create-role", "--role-name", "LabStudent", "--assume-role-policy-document", trust]))
            #expect((role["Role"] as? [String: Any])?["Arn"] as? String == "arn:aws:iam::111111111111:role/LabStudent")
            let roles = try Self.json(try await Self.iam(admin, ["list-roles"]))
            #expect((roles["Roles"] as? [[String: Any]])?.contains { $0["RoleName"] as? String == "LabStudent" } == true)
            // The puller holds no iam:* permission.
            let denied = try await Self.iam(puller, ["list-users"])
            #expect(denied.errors.contains("(AccessDenied)") && denied.errors.contains("is not authorized to perform: iam:ListUsers"), "\(denied.summary)")

            let custom = try Self.json(try await Self.iam(admin, [
                "simulate-custom-policy", "--policy-input-list", policy, "--action-names", "ecr:BatchGetImage", "ecr:PutImage",
            ]))
            let results = (custom["EvaluationResults"] as? [[String: Any]]) ?? []
            #expect(results.map { $0["EvalDecision"] as? String } == ["allowed", "implicitDeny"], "\(custom)")
            #expect(((results.first?["MatchedStatements"] as? [[String: Any]])?.first?["SourcePolicyId"] as? String) == "PolicyInputList.1")
        }
    }
}
