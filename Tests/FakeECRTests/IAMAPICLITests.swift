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

    /// `simulate-principal-policy` of `user` for `actions` (default the lab's) on `repository` (GetAuthorizationToken on `*`).
    static func simulated(_ admin: Lab.User, _ user: String, actions: [String] = labActions, repository: String = "lab/app") async throws -> [String: String] {
        let token = actions.filter { $0 == "ecr:GetAuthorizationToken" }, others = actions.filter { $0 != "ecr:GetAuthorizationToken" }
        return try await simulated(admin, user, actions: token, resource: "*")
            .merging(try await simulated(admin, user, actions: others, resource: Lab.repositoryArn(repository))) { $1 }
    }

    /// `simulate-principal-policy`'s decision for `user` doing each of `actions` on `resource` (one call).
    static func simulated(_ admin: Lab.User, _ user: String, actions: [String], resource: String) async throws -> [String: String] {
        guard !actions.isEmpty else { return [:] }
        let answer = try json(try await iam(admin, [
            "simulate-principal-policy", "--policy-source-arn", Lab.userArn(user), "--action-names"] + actions + ["--resource-arns", resource,
        ]))
        var decisions: [String: String] = [:]
        for result in (answer["EvaluationResults"] as? [[String: Any]]) ?? [] {
            if let action = result["EvalActionName"] as? String { decisions[action] = result["EvalDecision"] as? String }
        }
        return decisions
    }

    /// One decision `--iam enforce` made: an action on a resource (a repository ARN, or `*`).
    struct Enforced: Hashable {
        var action: String
        var resource: String
    }

    /// What `--iam enforce` decided for `user`'s calls, from the fake's trail (every call on either plane is recorded as the
    /// ECR action it stands for, on its repository): `denied` for each action and resource a refusal names, `allowed` for
    /// the action of a call not refused for it (a cache fill refused at ecr:BatchImportUpstreamImage was allowed its
    /// ecr:BatchGetImage; skopeo's blob mount from another repository is refused there, not in the one pushed to).
    static func enforced(_ fake: TestFakeECR, _ user: String) async -> [Enforced: String] {
        var decisions: [Enforced: String] = [:]
        for record in await fake.server.trail(accountId: Lab.account, region: Lab.region) where record.userIdentity.arn == Lab.userArn(user) {
            guard record.eventSource == "ecr.amazonaws.com" else { continue }
            let own = Enforced(action: "ecr:" + record.eventName, resource: record.requestParameters?["repositoryName"]?.stringValue.map(Lab.repositoryArn) ?? "*")
            if record.errorCode == "AccessDeniedException", let message = record.errorMessage, let range = message.range(of: "is not authorized to perform: ") {
                let words = message[range.upperBound...]
                let action = String(words.prefix { !$0.isWhitespace })
                let resource = words.range(of: " on resource: ").map { String(words[$0.upperBound...].prefix { !$0.isWhitespace }) } ?? "*"
                let refused = Enforced(action: action, resource: resource)
                decisions[refused] = "denied"
                if refused != own, decisions[own] == nil { decisions[own] = "allowed" }
            } else if decisions[own] == nil {
                decisions[own] = "allowed"
            }
        }
        return decisions
    }

    /// Whether enforcement decided `action` for `user` (on any resource) as `decision`.
    static func enforced(_ fake: TestFakeECR, _ user: String, _ action: String) async -> Set<String> {
        Set(await enforced(fake, user).filter { $0.key.action == action }.map(\.value))
    }

    /// An identity policy allowing `actions` on `repository`, and ecr:GetAuthorizationToken on `*`.
    static func policy(_ actions: [String], on repository: String) -> String {
        let list = actions.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[\#(list)],"Resource":"\#(Lab.repositoryArn(repository))"},{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}"#
    }

    /// A user made through the IAM API with one inline policy, and its new key.
    static func makeUser(_ admin: Lab.User, _ name: String, policy: String) async throws -> Lab.User {
        _ = try json(try await iam(admin, ["create-user", "--user-name", name]))
        let put = try await iam(admin, ["put-user-policy", "--user-name", name, "--policy-name", "lab", "--policy-document", policy])
        try #require(put.status == 0, "\(put.summary)")
        let key = try json(try await iam(admin, ["create-access-key", "--user-name", name]))
        let access = try #require(key["AccessKey"] as? [String: Any])
        return Lab.User(fake: admin.fake, key: try #require(access["AccessKeyId"] as? String), secret: try #require(access["SecretAccessKey"] as? String))
    }

    /// Every decision enforcement made for `user` is the decision `simulate-principal-policy` gives for that action and
    /// resource; the actions, with the decisions seen.
    static func expectAgreement(_ admin: Lab.User, _ user: String) async throws -> [String: Set<String>] {
        var seen: [String: Set<String>] = [:]
        let enforced = await enforced(admin.fake, user)
        for resource in Set(enforced.keys.map(\.resource)).sorted() {
            let calls = enforced.filter { $0.key.resource == resource }
            let simulated = try await simulated(admin, user, actions: calls.keys.map(\.action).sorted(), resource: resource)
            for (call, decision) in calls {
                #expect((simulated[call.action] == "allowed") == (decision == "allowed"),
                        "\(user): \(call.action) on \(resource) enforced \(decision), simulated \(simulated[call.action] ?? "nothing")")
                seen[call.action, default: []].insert(decision)
            }
        }
        return seen
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

            // The layer uploads, by real pushes (skopeo) to an empty repository: without ecr:CompleteLayerUpload the
            // first blob upload's last request is refused; without ecr:PutImage the layers go up and the manifest is refused.
            #expect(try await admin.aws(["ecr", "create-repository", "--repository-name", "lab/upload"]).status == 0)
            let uploadActions = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart"]
            let noComplete = try await Self.makeUser(admin, "no-complete", policy: Self.policy(uploadActions, on: "lab/upload"))
            #expect(try await noComplete.push("lab/upload").status != 0)
            let noPut = try await Self.makeUser(admin, "no-put", policy: Self.policy(uploadActions + ["ecr:CompleteLayerUpload"], on: "lab/upload"))
            #expect(try await noPut.push("lab/upload").status != 0)
            // The pusher's own repository: every push action allowed, PutImage included.
            let own = try await pusher.push("other")
            #expect(own.status == 0, "\(own.summary)")
            var seen: [String: Set<String>] = [:]
            for user in ["no-complete", "no-put", "puller", "pusher"] {
                seen.merge(try await Self.expectAgreement(admin, user)) { $0.union($1) }
            }
            #expect(await Self.enforced(admin.fake, "no-complete", "ecr:CompleteLayerUpload") == ["denied"])
            #expect(await Self.enforced(admin.fake, "no-complete", "ecr:UploadLayerPart") == ["allowed"])
            #expect(await Self.enforced(admin.fake, "no-put", "ecr:CompleteLayerUpload") == ["allowed"])
            #expect(await Self.enforced(admin.fake, "no-put", "ecr:PutImage") == ["denied"])

            // A pull through the cache (the fixture public.ecr.aws as upstream): filling it takes ecr:BatchImportUpstreamImage
            // and, for the repository's first pull, ecr:CreateRepository.
            let prefix = "public-ecr-1111111"
            let rule = try await admin.aws(["ecr", "create-pull-through-cache-rule", "--upstream-registry-url", "public.ecr.aws", "--ecr-repository-prefix", prefix])
            try #require(rule.status == 0, "\(rule.summary)")
            await admin.fake.server.setUpstream("public.ecr.aws", .ociLayout(RegistryFixtures.publicECR))
            let cached = "\(prefix)/nginx/nginx"
            let pullActions = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
            let noCreate = try await Self.makeUser(admin, "cache-no-create", policy: Self.policy(pullActions + ["ecr:BatchImportUpstreamImage"], on: cached))
            #expect(try await noCreate.pull(cached, tag: "1.27").status != 0)
            let noImport = try await Self.makeUser(admin, "cache-no-import", policy: Self.policy(pullActions + ["ecr:CreateRepository"], on: cached))
            #expect(try await noImport.pull(cached, tag: "1.27").status != 0)
            let filler = try await Self.makeUser(admin, "cache-filler", policy: Self.policy(pullActions + ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"], on: cached))
            let filled = try await filler.pull(cached, tag: "1.27")
            #expect(filled.status == 0, "\(filled.summary)")
            for user in ["cache-no-create", "cache-no-import", "cache-filler"] {
                seen.merge(try await Self.expectAgreement(admin, user)) { $0.union($1) }
            }
            #expect(await Self.enforced(admin.fake, "cache-no-create", "ecr:CreateRepository") == ["denied"])
            #expect(await Self.enforced(admin.fake, "cache-no-import", "ecr:BatchImportUpstreamImage") == ["denied"])
            #expect(await Self.enforced(admin.fake, "cache-filler", "ecr:GetDownloadUrlForLayer") == ["allowed"])
            // The filler's pull made the repository and imported the image (the trail records that CreateRepository as
            // ecr.amazonaws.com's, not the filler's): enforcement allowed both, and so does the simulator.
            #expect(try await admin.aws(["ecr", "describe-images", "--repository-name", cached, "--image-ids", "imageTag=1.27"]).status == 0)
            let fill = try await Self.simulated(admin, "cache-filler", actions: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"], repository: cached)
            #expect(fill == ["ecr:BatchImportUpstreamImage": "allowed", "ecr:CreateRepository": "allowed"], "\(fill)")
            for action in fill.keys { seen[action, default: []].insert("allowed") }

            // Every lab action, and the cache's two, was enforced (allowed somewhere) and agreed with the simulator.
            for action in Self.labActions + ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"] {
                #expect(seen[action]?.contains("allowed") == true, "\(action) was never seen allowed: \(seen)")
            }
            for action in ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"] {
                #expect(seen[action]?.contains("denied") == true, "\(action) was never seen refused: \(seen)")
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
