import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// `fake-ecr --iam enforce` with the real AWS CLI and skopeo: principals holding the lab text's pull
/// and push policies (declared in an accounts file), refused in AWS's words on both planes.
@Suite("IAM enforcement with the AWS CLI and skopeo", .serialized)
struct IAMEnforcementCLITests {
    static let account = "111111111111"
    static let region = "ap-northeast-1"
    static func repositoryArn(_ name: String) -> String { "arn:aws:ecr:\(region):\(account):repository/\(name)" }
    static func userArn(_ name: String) -> String { "arn:aws:iam::\(account):user/\(name)" }

    /// The lab text's pull policy (`Resource: *`) and its push policy, on `lab/app` or `other`.
    static func pushPolicy(_ repository: String) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:CompleteLayerUpload","ecr:UploadLayerPart","ecr:InitiateLayerUpload","ecr:BatchCheckLayerAvailability","ecr:PutImage","ecr:BatchGetImage"],"Resource":"\#(repositoryArn(repository))"},{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}]}"#
    }

    static let accountsJSON = #"""
    {"accounts": [{
      "accountId": "111111111111", "accessKeyId": "AKIAIAMADMIN00000001", "secretAccessKey": "admin-secret", "userName": "admin",
      "managedPolicies": [
        {"policyName": "LabPull", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken"], "Resource": "*"}]}},
        {"policyName": "LabPushApp", "document": \#(pushPolicy("lab/app"))},
        {"policyName": "LabPushOther", "document": \#(pushPolicy("other"))},
        {"policyName": "EcrAll", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}}
      ],
      "users": [
        {"userName": "puller", "accessKeys": [{"accessKeyId": "AKIAIAMPULLER0000001", "secretAccessKey": "puller-secret"}], "policies": ["LabPull"]},
        {"userName": "pusher", "accessKeys": [{"accessKeyId": "AKIAIAMPUSHER0000001", "secretAccessKey": "pusher-secret"}], "policies": ["LabPushOther"]},
        {"userName": "locked", "accessKeys": [{"accessKeyId": "AKIAIAMLOCKED0000001", "secretAccessKey": "locked-secret"}], "policies": ["EcrAll"]}
      ]
    }]}
    """#

    struct User {
        let fake: TestFakeECR
        let key: String
        let secret: String
        var host: String { "127.0.0.1:\(fake.server.port)" }

        func aws(_ arguments: [String]) async throws -> BoundedProcess.Result {
            try await BoundedProcess.run(["aws"] + arguments, environment: [
                "AWS_ENDPOINT_URL": fake.base, "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": IAMEnforcementCLITests.region,
                "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1",
            ], timeout: 300)
        }

        func password() async throws -> String {
            let result = try await aws(["ecr", "get-login-password"])
            try #require(result.status == 0, "get-login-password: \(result.summary)")
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// skopeo copies the fixture nginx image to `repository:tag` with this user's registry password.
        func push(_ repository: String, tag: String = "v1") async throws -> BoundedProcess.Result {
            try await BoundedProcess.run([
                "skopeo", "--insecure-policy", "copy", "--dest-creds", "AWS:\(try await password())", "--dest-tls-verify=false",
                "oci:\(RegistryFixtures.publicECR.path):nginx/nginx:1.27", "docker://\(host)/\(repository):\(tag)",
            ], timeout: 300)
        }

        func pull(_ repository: String, tag: String = "v1") async throws -> BoundedProcess.Result {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("iam-pull-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: output) }
            return try await BoundedProcess.run([
                "skopeo", "--insecure-policy", "copy", "--src-creds", "AWS:\(try await password())", "--src-tls-verify=false",
                "docker://\(host)/\(repository):\(tag)", "oci:\(output.path):\(tag)",
            ], timeout: 300)
        }
    }

    static func with(_ body: (_ admin: User, _ puller: User, _ pusher: User, _ locked: User) async throws -> Void) async throws {
        var configuration = TestFakeECR.configuration()
        configuration.accounts = try AccountsFile.parse(Data(accountsJSON.utf8), file: "accounts.json")
        configuration.authMode = .sigv4
        configuration.iam = .enforce
        configuration.defaultRegion = region
        try await TestFakeECR.with(configuration) { fake in
            try await body(
                User(fake: fake, key: "AKIAIAMADMIN00000001", secret: "admin-secret"), User(fake: fake, key: "AKIAIAMPULLER0000001", secret: "puller-secret"),
                User(fake: fake, key: "AKIAIAMPUSHER0000001", secret: "pusher-secret"), User(fake: fake, key: "AKIAIAMLOCKED0000001", secret: "locked-secret"))
        }
    }

    static func noIdentityPolicy(_ user: String, _ action: String, _ repository: String) -> String {
        "User: \(userArn(user)) is not authorized to perform: ecr:\(action) on resource: \(repositoryArn(repository)) because no identity-based policy allows the ecr:\(action) action"
    }

    static var enabled: Bool { (ExternalTool.available("aws") && ExternalTool.available("skopeo")) || ExternalTool.required }

    @Test(.enabled(if: IAMEnforcementCLITests.enabled, "aws CLI or skopeo not installed"))
    func aPullOnlyPrincipalPullsButCannotPush() async throws {
        try ExternalTool.require("aws")
        try ExternalTool.require("skopeo")
        try await Self.with { admin, puller, _, _ in
            #expect(try await admin.aws(["ecr", "create-repository", "--repository-name", "lab/app"]).status == 0)
            let seeded = try await admin.push("lab/app")
            try #require(seeded.status == 0, "admin (no policies declared: the account's root) pushes: \(seeded.summary)")

            let pulled = try await puller.pull("lab/app")
            #expect(pulled.status == 0, "the pull policy pulls: \(pulled.summary)")

            // The registry client: the layers are there already (admin pushed them), so the manifest PUT is
            // the first step the pull policy lacks: refused in ECR's words.
            let pushed = try await puller.push("lab/app", tag: "v2")
            #expect(pushed.status != 0)
            #expect(pushed.errors.contains("denied: " + Self.noIdentityPolicy("puller", "PutImage", "lab/app")), "\(pushed.summary)")

            // The AWS CLI: PutImage and CreateRepository are refused the same way.
            let manifest = try await admin.aws(["ecr", "batch-get-image", "--repository-name", "lab/app", "--image-ids", "imageTag=v1", "--query", "images[0].imageManifest", "--output", "text"])
            let put = try await puller.aws(["ecr", "put-image", "--repository-name", "lab/app", "--image-tag", "v3", "--image-manifest", manifest.output.trimmingCharacters(in: .whitespacesAndNewlines)])
            #expect(put.status != 0)
            #expect(put.errors.contains("An error occurred (AccessDeniedException) when calling the PutImage operation: " + Self.noIdentityPolicy("puller", "PutImage", "lab/app")), "\(put.summary)")
            let create = try await puller.aws(["ecr", "create-repository", "--repository-name", "mine"])
            #expect(create.errors.contains(Self.noIdentityPolicy("puller", "CreateRepository", "mine")), "\(create.summary)")
            // GetAuthorizationToken is allowed by the identity policy on `*`; DescribeRepositories is not in the pull policy.
            let describe = try await puller.aws(["ecr", "describe-repositories"])
            #expect(describe.errors.contains(Self.noIdentityPolicy("puller", "DescribeRepositories", "*")), "\(describe.summary)")
        }
    }

    @Test(.enabled(if: IAMEnforcementCLITests.enabled, "aws CLI or skopeo not installed"))
    func aPushPolicyOnAnotherRepositoryRefusesThePush() async throws {
        try ExternalTool.require("aws")
        try ExternalTool.require("skopeo")
        try await Self.with { admin, _, pusher, _ in
            for name in ["lab/app", "other"] {
                #expect(try await admin.aws(["ecr", "create-repository", "--repository-name", name]).status == 0)
            }
            // The first step, a blob HEAD (BatchCheckLayerAvailability), is refused: a HEAD answer has no body, so
            // skopeo shows the status only.
            let refused = try await pusher.push("lab/app")
            #expect(refused.status != 0)
            #expect(refused.errors.contains("lab/app: 403 (Forbidden)"), "\(refused.summary)")
            let pushed = try await pusher.push("other")
            #expect(pushed.status == 0, "the push policy's own repository: \(pushed.summary)")
        }
    }

    @Test(.enabled(if: IAMEnforcementCLITests.enabled, "aws CLI or skopeo not installed"))
    func anExplicitDenyInTheRepositoryPolicyBeatsAnIdentityAllow() async throws {
        try ExternalTool.require("aws")
        try ExternalTool.require("skopeo")
        try await Self.with { admin, _, _, locked in
            #expect(try await admin.aws(["ecr", "create-repository", "--repository-name", "lab/app"]).status == 0)
            let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"NoPushByLocked","Effect":"Deny","Principal":{"AWS":"\#(Self.userArn("locked"))"},"Action":"ecr:PutImage"}]}"#
            let set = try await admin.aws(["ecr", "set-repository-policy", "--repository-name", "lab/app", "--policy-text", policy])
            try #require(set.status == 0, "\(set.summary)")
            let pushed = try await locked.push("lab/app")
            #expect(pushed.status != 0)
            let message = "User: \(Self.userArn("locked")) is not authorized to perform: ecr:PutImage on resource: \(Self.repositoryArn("lab/app")) with an explicit deny in a resource-based policy"
            #expect(pushed.errors.contains("denied"), "\(pushed.summary)")
            #expect(pushed.errors.contains(message), "\(pushed.summary)")
            // Everything else the identity policy allows still works.
            #expect(try await locked.aws(["ecr", "describe-repositories", "--repository-names", "lab/app"]).status == 0)
        }
    }
}
