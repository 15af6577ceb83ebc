import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// Accounts of one fake (`--auth sigv4`) are kept apart by one access gate: another account's
/// registry is closed to registry-level operations, its repositories open only as far as their
/// repository policy says, registry passwords carry their caller, and roles are assumed only by
/// whom they trust.
@Suite("Isolation between accounts")
struct AccountIsolationTests {
    static let a = "111111111111", b = "222222222222"
    static let aliceArn = "arn:aws:iam::111111111111:user/alice"
    static let accounts = AccountsFile(accounts: [
        .init(accountId: a, accessKeyId: "AKIAACCOUNTA00000001", secretAccessKey: "alice-secret", userName: "alice"),
        .init(accountId: b, accessKeyId: "AKIAACCOUNTB00000001", secretAccessKey: "bob-secret", userName: "bob", assumableRoles: [
            "arn:aws:iam::222222222222:role/Private",
            AssumableRole(arn: "arn:aws:iam::222222222222:role/Shared", trustedAccounts: [a]),
            AssumableRole(arn: "arn:aws:iam::222222222222:role/ForAlice", trustedPrincipals: [aliceArn]),
        ]),
    ])

    static func with(_ body: (_ alice: SignedCaller, _ bob: SignedCaller) async throws -> Void) async throws {
        var configuration = TestFakeECR.configuration()
        configuration.accounts = accounts
        configuration.authMode = .sigv4
        try await TestFakeECR.with(configuration) { fake in
            try await body(
                SignedCaller(fake, key: "AKIAACCOUNTA00000001", secret: "alice-secret"),
                SignedCaller(fake, key: "AKIAACCOUNTB00000001", secret: "bob-secret"))
        }
    }

    static func denied(_ answer: HTTPAnswer, _ action: String, _ resource: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectECRError(
            answer, "AccessDeniedException",
            messageContains: "User: \(aliceArn) is not authorized to perform: ecr:\(action) on resource: \(resource) because no resource-based policy allows the ecr:\(action) action",
            sourceLocation: sourceLocation)
    }

    static func repositoryArn(_ name: String) -> String { "arn:aws:ecr:ap-northeast-1:\(b):repository/\(name)" }

    @Test func anotherAccountsRegistryRefusesTheControlPlane() async throws {
        try await Self.with { alice, bob in
            #expect(try await bob.ecr("CreateRepository", ["repositoryName": "private"]).status == 200)
            let theirs: [String: Any] = ["registryId": Self.b, "repositoryName": "private"]
            Self.denied(try await alice.ecr("DescribeRepositories", ["registryId": Self.b]), "DescribeRepositories", Self.repositoryArn("*"))
            Self.denied(
                try await alice.ecr("DescribeRepositories", ["registryId": Self.b, "repositoryNames": ["private"]]), "DescribeRepositories",
                Self.repositoryArn("private"))
            Self.denied(try await alice.ecr("DeleteRepository", theirs.merging(["force": true]) { $1 }), "DeleteRepository", Self.repositoryArn("private"))
            Self.denied(try await alice.ecr("ListImages", theirs), "ListImages", Self.repositoryArn("private"))
            Self.denied(try await alice.ecr("SetRepositoryPolicy", theirs.merging(["policyText": #"{"Statement":[]}"#]) { $1 }), "SetRepositoryPolicy", Self.repositoryArn("private"))
            Self.denied(try await alice.ecr("CreateRepository", ["registryId": Self.b, "repositoryName": "planted"]), "CreateRepository", Self.repositoryArn("planted"))
            Self.denied(
                try await alice.ecr("CreatePullThroughCacheRule", ["registryId": Self.b, "ecrRepositoryPrefix": "planted", "upstreamRegistryUrl": "public.ecr.aws"]),
                "CreatePullThroughCacheRule", Self.repositoryArn("*"))
            Self.denied(try await alice.ecr("DescribePullThroughCacheRules", ["registryId": Self.b]), "DescribePullThroughCacheRules", Self.repositoryArn("*"))
            Self.denied(
                try await alice.ecr("TagResource", ["resourceArn": Self.repositoryArn("private"), "tags": [["Key": "owner", "Value": "alice"]]]),
                "TagResource", Self.repositoryArn("private"))

            // Nothing of bob's changed; alice's own registry works as before.
            let mine = try await bob.ecr("DescribeRepositories")
            #expect((mine.json["repositories"] as? [[String: Any]])?.compactMap { $0["repositoryName"] as? String } == ["private"])
            #expect((try await bob.ecr("DescribePullThroughCacheRules").json["pullThroughCacheRules"] as? [Any])?.isEmpty == true)
            #expect((try await bob.ecr("ListTagsForResource", ["resourceArn": Self.repositoryArn("private")]).json["tags"] as? [Any])?.isEmpty == true)
            #expect(try await alice.ecr("CreateRepository", ["repositoryName": "private"]).status == 200)
        }
    }

    @Test func aPasswordForAnotherRegistryCarriesTheCallerAndOpensNothing() async throws {
        try await Self.with { alice, bob in
            #expect(try await bob.ecr("CreateRepository", ["repositoryName": "private"]).status == 200)
            let pushed = try await bob.registry().pushImage("private", tag: "v1", seed: "bob")

            let stolen = try await alice.registry(for: Self.b)
            let pull = try await stolen.send("GET", "/v2/private/manifests/v1")
            expectRegistryError(
                pull, 403, "DENIED",
                messageContains: "User: \(Self.aliceArn) is not authorized to perform: ecr:BatchGetImage on resource: \(Self.repositoryArn("private")) because no resource-based policy allows the ecr:BatchGetImage action")
            expectRegistryError(try await stolen.send("POST", "/v2/private/blobs/uploads/"), 403, "DENIED", messageContains: "ecr:InitiateLayerUpload")
            expectRegistryError(try await stolen.send("DELETE", "/v2/private/manifests/v1"), 403, "DENIED", messageContains: "ecr:BatchDeleteImage")
            expectRegistryError(try await stolen.send("GET", "/v2/private/tags/list"), 403, "DENIED", messageContains: "ecr:ListImages")
            #expect(try await bob.registry().send("GET", "/v2/private/manifests/v1").header("Docker-Content-Digest") == pushed.digest)
        }
    }

    @Test func aRepositoryPolicyOpensACrossAccountPullAndAnExplicitDenyWins() async throws {
        try await Self.with { alice, bob in
            #expect(try await bob.ecr("CreateRepository", ["repositoryName": "shared"]).status == 200)
            let pushed = try await bob.registry().pushImage("shared", tag: "v1", seed: "shared")
            let policy = """
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheck*"]},
                 {"Sid":"keep","Effect":"Deny","Principal":"*","Action":"ecr:BatchDeleteImage"}]}
                """
            #expect(try await bob.ecr("SetRepositoryPolicy", ["repositoryName": "shared", "policyText": policy]).status == 200)

            let registry = try await alice.registry(for: Self.b)
            let manifest = try await registry.send("GET", "/v2/shared/manifests/v1", headers: [("Accept", ociManifestType)])
            #expect(manifest.status == 200, "\(manifest.text)")
            #expect(manifest.header("Docker-Content-Digest") == pushed.digest)
            let layer = try #require(ImageDescriptors.digests(of: pushed.manifest).last)
            #expect(try await registry.send("GET", "/v2/shared/blobs/\(layer)").status == 200)
            #expect(try await registry.send("HEAD", "/v2/shared/blobs/\(layer)").status == 200)
            let batch = try await alice.ecr("BatchGetImage", ["registryId": Self.b, "repositoryName": "shared", "imageIds": [["imageTag": "v1"]]])
            #expect((batch.json["images"] as? [Any])?.count == 1, "\(batch.text)")

            // Only what the policy names: no push, no listing of bob's registry.
            expectRegistryError(try await registry.send("POST", "/v2/shared/blobs/uploads/"), 403, "DENIED", messageContains: "ecr:InitiateLayerUpload")
            Self.denied(try await alice.ecr("DescribeRepositories", ["registryId": Self.b]), "DescribeRepositories", Self.repositoryArn("*"))
            // The explicit Deny holds even for bob in his own account.
            expectECRError(
                try await bob.ecr("BatchDeleteImage", ["repositoryName": "shared", "imageIds": [["imageTag": "v1"]]]), "AccessDeniedException",
                messageContains: "with an explicit deny in a resource-based policy")
        }
    }

    @Test func assumeRoleNeedsTheRolesTrust() async throws {
        try await Self.with { alice, bob in
            func assume(_ caller: SignedCaller, _ role: String) async throws -> HTTPAnswer {
                let arn = "arn:aws:iam::222222222222:role/\(role)".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return try await caller.sts("Action=AssumeRole&Version=2011-06-15&RoleArn=\(arn)&RoleSessionName=grading")
            }
            let refused = try await assume(alice, "Private")
            #expect(refused.status == 403)
            #expect(refused.text.contains("<Code>AccessDenied</Code>"), "\(refused.text)")
            #expect(refused.text.contains(
                "User: \(Self.aliceArn) is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Private"))
            #expect(try await assume(alice, "NoSuchRole").status == 403)
            #expect(try await assume(alice, "Shared").status == 200)
            #expect(try await assume(alice, "ForAlice").status == 200)
            #expect(try await assume(bob, "Private").status == 200)
        }
    }
}

/// The digests of a manifest's config and layers, in order.
enum ImageDescriptors {
    static func digests(of manifest: String) -> [String] {
        let object = (try? JSONSerialization.jsonObject(with: Data(manifest.utf8))) as? [String: Any] ?? [:]
        let config = (object["config"] as? [String: Any])?["digest"] as? String
        let layers = (object["layers"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String }
        return (config.map { [$0] } ?? []) + layers
    }
}
