import FakeECR
import FakeECRTesting
import Foundation
import Testing

@Suite("Pull through cache rules")
struct PullThroughCacheTests {
    @Test func lifecycleOfARule() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let created = try await fake.ecr(
                "CreatePullThroughCacheRule", #"{"upstreamRegistryUrl":"public.ecr.aws","ecrRepositoryPrefix":"public-ecr-9641173"}"#,
                region: "ap-northeast-1")
            #expect(created.status == 200)
            #expect(created.json["upstreamRegistry"] as? String == "ecr-public")
            #expect(created.json["registryId"] as? String == "123456789012")
            #expect(created.json["createdAt"] is Double)

            let described = try await fake.ecr("DescribePullThroughCacheRules", region: "ap-northeast-1")
            let rules = try #require(described.json["pullThroughCacheRules"] as? [[String: Any]])
            #expect(rules.count == 1)
            #expect(rules.first?["ecrRepositoryPrefix"] as? String == "public-ecr-9641173")
            #expect(rules.first?["upstreamRegistryUrl"] as? String == "public.ecr.aws")

            let validated = try await fake.ecr("ValidatePullThroughCacheRule", #"{"ecrRepositoryPrefix":"public-ecr-9641173"}"#, region: "ap-northeast-1")
            #expect(validated.json["isValid"] as? Bool == true)

            let deleted = try await fake.ecr("DeletePullThroughCacheRule", #"{"ecrRepositoryPrefix":"public-ecr-9641173"}"#, region: "ap-northeast-1")
            #expect(deleted.json["upstreamRegistryUrl"] as? String == "public.ecr.aws")
            let empty = try await fake.ecr("DescribePullThroughCacheRules", region: "ap-northeast-1")
            #expect((empty.json["pullThroughCacheRules"] as? [Any])?.count == 0)
        }
    }

    @Test(arguments: [
        ("registry.k8s.io", "k8s", nil), ("quay.io", "quay", nil), ("cgr.dev", "chainguard", nil),
        ("registry-1.docker.io", "docker-hub", "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/dockerhub-abc"),
        ("ghcr.io", "github-container-registry", "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/ghcr-abc"),
        ("registry.gitlab.com", "gitlab-container-registry", "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/gitlab-abc"),
        ("myreg.azurecr.io", "azure-container-registry", "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/azure-abc"),
        ("111122223333.dkr.ecr.us-west-2.amazonaws.com", "ecr", nil),
    ] as [(String, String, String?)])
    func upstreamMapping(url: String, upstream: String, credentialArn: String?) async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            var body: [String: Any] = ["upstreamRegistryUrl": url, "ecrRepositoryPrefix": "cache"]
            if let credentialArn { body["credentialArn"] = credentialArn }
            let created = try await fake.ecr("CreatePullThroughCacheRule", object: body)
            #expect(created.status == 200, "\(created.text)")
            #expect(created.json["upstreamRegistry"] as? String == upstream)
            if credentialArn != nil {
                body.removeValue(forKey: "credentialArn")
                body["ecrRepositoryPrefix"] = "cache2"
                expectECRError(
                    try await fake.ecr("CreatePullThroughCacheRule", object: body), "UnsupportedUpstreamRegistryException",
                    messageContains: "requires authentication")
            }
        }
    }

    @Test func ruleErrors() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreatePullThroughCacheRule", #"{"upstreamRegistryUrl":"public.ecr.aws","ecrRepositoryPrefix":"ecr-public"}"#)
            expectECRError(
                try await fake.ecr("CreatePullThroughCacheRule", #"{"upstreamRegistryUrl":"quay.io","ecrRepositoryPrefix":"ecr-public"}"#),
                "PullThroughCacheRuleAlreadyExistsException", messageContains: "'ecr-public'")
            expectECRError(
                try await fake.ecr("CreatePullThroughCacheRule", #"{"upstreamRegistryUrl":"quay.io","ecrRepositoryPrefix":"ecr-public/sub"}"#),
                "PullThroughCacheRuleAlreadyExistsException", messageContains: "overlaps")
            expectECRError(
                try await fake.ecr("CreatePullThroughCacheRule", #"{"upstreamRegistryUrl":"example.com","ecrRepositoryPrefix":"ex"}"#),
                "UnsupportedUpstreamRegistryException", messageContains: "example.com")
            for bad in ["Bad_Prefix", "x", String(repeating: "a", count: 31), "a//b"] {
                expectECRError(
                    try await fake.ecr("CreatePullThroughCacheRule", object: ["upstreamRegistryUrl": "quay.io", "ecrRepositoryPrefix": bad]),
                    "ValidationException", messageContains: "ecrRepositoryPrefix")
            }
            expectECRError(
                try await fake.ecr("DeletePullThroughCacheRule", #"{"ecrRepositoryPrefix":"missing"}"#), "PullThroughCacheRuleNotFoundException",
                messageContains: "'missing'")
            expectECRError(
                try await fake.ecr("DescribePullThroughCacheRules", #"{"ecrRepositoryPrefixes":["missing"]}"#), "PullThroughCacheRuleNotFoundException")
            expectECRError(try await fake.ecr("ValidatePullThroughCacheRule", #"{"ecrRepositoryPrefix":"missing"}"#), "PullThroughCacheRuleNotFoundException")
            expectECRError(try await fake.ecr("UpdatePullThroughCacheRule", #"{"ecrRepositoryPrefix":"ecr-public"}"#), "InvalidParameterException")
            let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/x-123"
            let updated = try await fake.ecr("UpdatePullThroughCacheRule", object: ["ecrRepositoryPrefix": "ecr-public", "credentialArn": arn])
            #expect(updated.json["credentialArn"] as? String == arn)
            #expect(updated.json["updatedAt"] is Double)
            expectECRError(
                try await fake.ecr("UpdatePullThroughCacheRule", object: ["ecrRepositoryPrefix": "missing", "credentialArn": arn]),
                "PullThroughCacheRuleNotFoundException")
        }
    }
}
