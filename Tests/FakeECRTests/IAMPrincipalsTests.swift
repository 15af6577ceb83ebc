@testable import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// Principals and policies of the accounts file, and the gate under `--iam off` (the default) and
/// `--iam enforce`, through signed control-plane, STS and CloudTrail calls.
@Suite("IAM principals of the accounts file")
struct IAMPrincipalsTests {
    static func parse(_ text: String) throws -> AccountsFile { try AccountsFile.parse(Data(text.utf8), file: "accounts.json") }

    static func problem(_ text: String) -> InputFileError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? InputFileError
        }
    }

    static let file = #"""
    {"accounts": [{"accountId": "111111111111", "accessKeyId": "AKIAIAMADMIN00000001", "secretAccessKey": "admin-secret", "userName": "admin",
      "managedPolicies": [{"policyName": "LabPull", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetAuthorizationToken", "ecr:DescribeRepositories"], "Resource": "*"}]}}],
      "users": [{"userName": "puller", "accessKeys": [{"accessKeyId": "AKIAIAMPULLER0000001", "secretAccessKey": "puller-secret"}], "policies": ["LabPull"],
                 "tags": {"team": "lab"}},
                {"userName": "nobody", "accessKeys": [{"accessKeyId": "AKIAIAMNOBODY0000001", "secretAccessKey": "nobody-secret"}], "policies": []},
                {"userName": "tagged", "accessKeys": [{"accessKeyId": "AKIAIAMTAGGED0000001", "secretAccessKey": "tagged-secret"}],
                 "tags": {"team": "lab"},
                 "inlinePolicies": {"own-team": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*",
                   "Condition": {"StringEquals": {"aws:PrincipalTag/team": "lab"}, "Bool": {"aws:SecureTransport": "false"}}}]}}}],
      "assumableRoles": [{"arn": "arn:aws:iam::111111111111:role/Reader", "policies": ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"],
        "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:user/nobody"}, "Action": "sts:AssumeRole"}]}}]
    }]}
    """#

    static func configuration(_ iam: IAMEnforcement) throws -> FakeECRConfiguration {
        var configuration = TestFakeECR.configuration()
        configuration.accounts = try parse(file)
        configuration.authMode = .sigv4
        configuration.iam = iam
        return configuration
    }

    @Test func documentsAreCheckedAsIAMChecksThem() {
        let bad = #"{"accounts":[{"accountId":"111111111111","accessKeyId":"AKIAIAMADMIN00000001","secretAccessKey":"s","users":[{"userName":"u","inlinePolicies":{"p":{"Statement":[{"Effect":"Allow","Action":"ecr:*"}]}}}]}]}"#
        let error = Self.problem(bad)
        #expect(error?.path == "$.accounts[0].users[0].inlinePolicies.p", "\(String(describing: error))")
        #expect(error?.problem.contains("MalformedPolicyDocument: Policy statement must contain resources. (at Statement[0].Resource)") == true, "\(String(describing: error))")
        let unknown = #"{"accounts":[{"accountId":"111111111111","accessKeyId":"AKIAIAMADMIN00000001","secretAccessKey":"s","policies":["Missing"]}]}"#
        #expect(Self.problem(unknown)?.problem.contains("the policy 'Missing' is attached but not declared here") == true)
        let trust = #"{"accounts":[{"accountId":"111111111111","accessKeyId":"AKIAIAMADMIN00000001","secretAccessKey":"s","assumableRoles":[{"arn":"arn:aws:iam::111111111111:role/R","trustPolicy":{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}}]}]}"#
        #expect(Self.problem(trust)?.problem.contains("Missing required field Principal") == true)
        let typo = #"{"accounts":[{"accountId":"111111111111","accessKeyId":"AKIAIAMADMIN00000001","secretAccessKey":"s","users":[{"userName":"u","policy":[]}]}]}"#
        #expect(Self.problem(typo)?.problem.contains("unknown key 'policy'") == true)
        let duplicateKey = #"{"accounts":[{"accountId":"111111111111","accessKeyId":"AKIAIAMADMIN00000001","secretAccessKey":"s","users":[{"userName":"u","accessKeys":[{"accessKeyId":"AKIAIAMADMIN00000001","secretAccessKey":"x"}]}]}]}"#
        #expect(Self.problem(duplicateKey)?.problem.contains("appears more than once") == true)
        #expect(Self.problem(Self.file) == nil)
    }

    @Test func enforcementIsOffByDefault() async throws {
        #expect(FakeECRConfiguration().iam == .off)
        try await TestFakeECR.with(try Self.configuration(.off)) { fake in
            let nobody = SignedCaller(fake, key: "AKIAIAMNOBODY0000001", secret: "nobody-secret")
            let created = try await nobody.ecr("CreateRepository", ["repositoryName": "lab/app"])
            #expect(created.status == 200, "declared policies are not enforced")
        }
    }

    @Test func identityPoliciesDecideUnderEnforce() async throws {
        try await TestFakeECR.with(try Self.configuration(.enforce)) { fake in
            let admin = SignedCaller(fake, key: "AKIAIAMADMIN00000001", secret: "admin-secret")
            let puller = SignedCaller(fake, key: "AKIAIAMPULLER0000001", secret: "puller-secret")
            let nobody = SignedCaller(fake, key: "AKIAIAMNOBODY0000001", secret: "nobody-secret")
            let tagged = SignedCaller(fake, key: "AKIAIAMTAGGED0000001", secret: "tagged-secret")
            let created = try await admin.ecr("CreateRepository", ["repositoryName": "lab/app"])
            #expect(created.status == 200, "no policies declared: the account's root")
            #expect(try await puller.ecr("DescribeRepositories").status == 200)
            expectECRError(
                try await puller.ecr("DeleteRepository", ["repositoryName": "lab/app"]), "AccessDeniedException",
                messageContains: "User: arn:aws:iam::111111111111:user/puller is not authorized to perform: ecr:DeleteRepository on resource: arn:aws:ecr:ap-northeast-1:111111111111:repository/lab/app because no identity-based policy allows the ecr:DeleteRepository action")
            expectECRError(
                try await nobody.ecr("GetAuthorizationToken"), "AccessDeniedException",
                messageContains: "User: arn:aws:iam::111111111111:user/nobody is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action")
            let lookup = try await nobody.lookupEvents()
            #expect(lookup.message == "User: arn:aws:iam::111111111111:user/nobody is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action", "\(lookup.text)")
            // aws:PrincipalTag/team and aws:SecureTransport (plain HTTP here) are in the request context.
            #expect(try await tagged.ecr("DescribeRepositories").status == 200)
            // A trust policy naming the user lets it assume the role; the session holds the role's AWS managed policy.
            let assumed = try await nobody.sts("Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::111111111111:role/Reader&RoleSessionName=s1")
            #expect(assumed.status == 200, "\(assumed.text)")
            let refusedTrust = try await puller.sts("Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::111111111111:role/Reader&RoleSessionName=s1")
            #expect(refusedTrust.status == 403 && refusedTrust.text.contains("is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/Reader"))
        }
    }

    @Test func anExplicitDenyInAnIdentityPolicyIsWordedSo() {
        let refusal = AccessRefusal(
            principal: AccessPrincipal(accountId: "111111111111", arn: "arn:aws:iam::111111111111:user/u"), action: "ecr:PutImage",
            resource: .repository(RegistryKey(accountId: "111111111111", region: "us-east-1"), "app"), reason: .explicitDenyInIdentityPolicy)
        #expect(refusal.message == "User: arn:aws:iam::111111111111:user/u is not authorized to perform: ecr:PutImage on resource: arn:aws:ecr:us-east-1:111111111111:repository/app with an explicit deny in an identity-based policy")
    }
}
