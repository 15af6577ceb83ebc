import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// Registry-level settings: the registry policy (validated, scope V1 or V2), repository policy
/// validation, and replication (PutReplicationConfiguration, DescribeRegistry, DescribeImageReplicationStatus, pushed images copied
/// to the destination registries of the fake).
@Suite("Registry policy and replication", .serialized)
struct RegistrySettingsTests {
    static func policy(_ statement: String) -> String { #"{"Version":"2012-10-17","Statement":[\#(statement)]}"# }
    static let replicate = policy(#"{"Sid":"r","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"*"}"#)

    @Test func registryPoliciesArePutReadDeletedAndValidated() async throws {
        try await TestFakeECR.with { fake in
            expectECRError(try await fake.ecr("GetRegistryPolicy"), "RegistryPolicyNotFoundException", messageContains: "Registry policy does not exist in the registry with id '\(TestFakeECR.accountId)'")
            expectECRError(try await fake.ecr("DeleteRegistryPolicy"), "RegistryPolicyNotFoundException")
            let put = try await fake.ecr("PutRegistryPolicy", object: ["policyText": Self.replicate])
            #expect(put.status == 200 && put.json["registryId"] as? String == TestFakeECR.accountId && put.json["policyText"] as? String == Self.replicate, "\(put.text)")
            #expect(try await fake.ecr("GetRegistryPolicy").json["policyText"] as? String == Self.replicate)

            for bad in [
                "not json", #"{"Version":"2012-10-17"}"#, Self.policy(#"{"Effect":"Allow","Action":"ecr:ReplicateImage"}"#),
                Self.policy(#"{"Effect":"Allow","Principal":"*"}"#), Self.policy(#"{"Effect":"Maybe","Principal":"*","Action":"ecr:ReplicateImage"}"#),
                Self.policy(#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}"#),
            ] {
                expectECRError(try await fake.ecr("PutRegistryPolicy", object: ["policyText": bad]), "InvalidParameterException", messageContains: "Invalid registry policy provided")
            }
            // Scope V2 (the default) grants any ECR action; V1 only replication, pull through cache imports and CreateRepository.
            let pull = Self.policy(#"{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}"#)
            #expect(try await fake.ecr("PutRegistryPolicy", object: ["policyText": pull]).status == 200)
            _ = try await fake.ecr("PutAccountSetting", object: ["name": "REGISTRY_POLICY_SCOPE", "value": "V1"])
            expectECRError(try await fake.ecr("PutRegistryPolicy", object: ["policyText": pull]), "InvalidParameterException")
            #expect(try await fake.ecr("PutRegistryPolicy", object: ["policyText": Self.replicate]).status == 200)

            let deleted = try await fake.ecr("DeleteRegistryPolicy")
            #expect(deleted.json["policyText"] as? String == Self.replicate)
            expectECRError(try await fake.ecr("GetRegistryPolicy"), "RegistryPolicyNotFoundException")
        }
    }

    @Test func aRepositoryPolicyNeedsAPrincipalAndAnAction() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            for bad in [Self.policy(#"{"Effect":"Allow","Action":"ecr:BatchGetImage"}"#), Self.policy(#"{"Effect":"Allow","Principal":"*"}"#)] {
                expectECRError(
                    try await fake.ecr("SetRepositoryPolicy", object: ["repositoryName": "app", "policyText": bad]), "InvalidParameterException",
                    messageContains: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'")
            }
            let good = Self.policy(#"{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}"#)
            #expect(try await fake.ecr("SetRepositoryPolicy", object: ["repositoryName": "app", "policyText": good]).status == 200)
        }
    }

    @Test func replicationCopiesPushedImagesToOtherRegions() async throws {
        try await TestFakeECR.with { fake in
            let configuration: [String: Any] = [
                "rules": [["destinations": [["region": "us-west-2", "registryId": TestFakeECR.accountId]], "repositoryFilters": [["filter": "team/", "filterType": "PREFIX_MATCH"]]]]
            ]
            let put = try await fake.ecr("PutReplicationConfiguration", object: ["replicationConfiguration": configuration])
            #expect(put.status == 200, "\(put.text)")
            let described = try await fake.ecr("DescribeRegistry")
            let rules = (described.json["replicationConfiguration"] as? [String: Any])?["rules"] as? [[String: Any]]
            #expect((rules?.first?["destinations"] as? [[String: Any]])?.first?["region"] as? String == "us-west-2", "\(described.text)")

            for name in ["team/app", "other/app"] { _ = try await fake.ecr("CreateRepository", object: ["repositoryName": name]) }
            let registry = try await RegistryClient.login(fake)
            let image = try await registry.pushImage("team/app", tag: "v1", seed: "replicated")
            _ = try await registry.pushImage("other/app", tag: "v1", seed: "local")
            let entry = #"{"mediaType":"\#(ociManifestType)","digest":"\#(image.digest)","size":\#(image.manifest.utf8.count)}"#
            let index = #"{"schemaVersion":2,"mediaType":"\#(ociIndexType)","manifests":[\#(entry)]}"#
            #expect(try await fake.ecr("PutImage", object: ["repositoryName": "team/app", "imageManifest": index, "imageTag": "multi"]).status == 200)

            let copies = try await fake.ecr("DescribeImages", #"{"repositoryName":"team/app"}"#, region: "us-west-2")
            #expect(copies.status == 200, "the repository is created in the destination: \(copies.text)")
            let tags = Set(((copies.json["imageDetails"] as? [[String: Any]]) ?? []).flatMap { $0["imageTags"] as? [String] ?? [] })
            #expect(tags == ["v1", "multi"], "\(copies.text)")
            // The destination serves the image over /v2/ too: its layers came along.
            let there = try await RegistryClient.login(fake, region: "us-west-2")
            let layer = try #require(ImageDescriptors.digests(of: image.manifest).last)
            #expect(try await there.send("GET", "/v2/team/app/blobs/\(layer)").status == 200)
            #expect(try await there.send("GET", "/v2/team/app/manifests/v1").body == Data(image.manifest.utf8))
            expectECRError(try await fake.ecr("DescribeImages", #"{"repositoryName":"other/app"}"#, region: "us-west-2"), "RepositoryNotFoundException")
            // Deletions are not replicated.
            _ = try await fake.ecr("BatchDeleteImage", object: ["repositoryName": "team/app", "imageIds": [["imageTag": "multi"]]])
            #expect(try await fake.ecr("DescribeImages", #"{"repositoryName":"team/app","imageIds":[{"imageTag":"multi"}]}"#, region: "us-west-2").status == 200)
        }
    }

    @Test func replicationIsValidated() async throws {
        try await TestFakeECR.with { fake in
            func put(_ rule: [String: Any]) async throws -> HTTPAnswer {
                try await fake.ecr("PutReplicationConfiguration", object: ["replicationConfiguration": ["rules": [rule]]])
            }
            expectECRError(
                try await put(["destinations": [["region": TestFakeECR.region, "registryId": TestFakeECR.accountId]]]), "InvalidParameterException",
                messageContains: "cannot be the same as the source registry")
            expectECRError(try await put(["destinations": [["region": "Not A Region", "registryId": TestFakeECR.accountId]]]), "InvalidParameterException")
            expectECRError(try await put(["destinations": [["region": "us-west-2", "registryId": "12"]]]), "InvalidParameterException")
            expectECRError(
                try await put(["destinations": [["region": "us-west-2", "registryId": TestFakeECR.accountId]], "repositoryFilters": [["filter": "team", "filterType": "SUFFIX"]]]),
                "InvalidParameterException", messageContains: "PREFIX_MATCH")
            let many = Array(repeating: ["destinations": [["region": "us-west-2", "registryId": TestFakeECR.accountId]]] as [String: Any], count: 11)
            expectECRError(try await fake.ecr("PutReplicationConfiguration", object: ["replicationConfiguration": ["rules": many]]), "InvalidParameterException")
            // An empty configuration turns replication off.
            #expect(try await fake.ecr("PutReplicationConfiguration", object: ["replicationConfiguration": ["rules": [Any]()]]).status == 200)
        }
    }

    @Test func crossAccountReplicationNeedsTheDestinationsRegistryPolicy() async throws {
        try await AccountIsolationTests.with { alice, bob in
            let configuration: [String: Any] = ["rules": [["destinations": [["region": alice.region, "registryId": AccountIsolationTests.b]]]]]
            #expect(try await alice.ecr("PutReplicationConfiguration", ["replicationConfiguration": configuration]).status == 200)
            #expect(try await alice.ecr("CreateRepository", ["repositoryName": "shared/app"]).status == 200)
            let registry = try await alice.registry()
            let before = try await registry.pushImage("shared/app", tag: "before", seed: "no policy")
            expectECRError(try await bob.ecr("DescribeImages", ["repositoryName": "shared/app"]), "RepositoryNotFoundException")
            func statuses(_ id: [String: String]) async throws -> [[String: Any]] {
                let answer = try await alice.ecr("DescribeImageReplicationStatus", ["repositoryName": "shared/app", "imageId": id])
                #expect(answer.status == 200, "\(answer.text)")
                return answer.json["replicationStatuses"] as? [[String: Any]] ?? []
            }
            // Refused by the destination: FAILED, with the fake's failure code; the answer names the image by digest.
            let refused = try await statuses(["imageTag": "before"])
            #expect(refused.count == 1 && refused.first?["status"] as? String == "FAILED" && refused.first?["registryId"] as? String == AccountIsolationTests.b)
            #expect(refused.first?["failureCode"] as? String == "REPLICATION_NOT_AUTHORIZED" && refused.first?["region"] as? String == alice.region)
            let named = try await alice.ecr("DescribeImageReplicationStatus", ["repositoryName": "shared/app", "imageId": ["imageTag": "before"]])
            #expect((named.json["imageId"] as? [String: Any])?["imageDigest"] as? String == before.digest, "\(named.text)")
            expectECRError(
                try await alice.ecr("DescribeImageReplicationStatus", ["repositoryName": "shared/app", "imageId": ["imageTag": "absent"]]), "ImageNotFoundException")
            expectECRError(
                try await alice.ecr("DescribeImageReplicationStatus", ["repositoryName": "nope/app", "imageId": ["imageTag": "before"]]), "RepositoryNotFoundException")

            #expect(try await bob.ecr("PutRegistryPolicy", ["policyText": Self.replicate]).status == 200)
            _ = try await registry.pushImage("shared/app", tag: "after", seed: "with policy")
            let copies = try await bob.ecr("DescribeImages", ["repositoryName": "shared/app"])
            let tags = ((copies.json["imageDetails"] as? [[String: Any]]) ?? []).flatMap { $0["imageTags"] as? [String] ?? [] }
            #expect(tags == ["after"], "\(copies.text)")
            let complete = try await statuses(["imageTag": "after"])
            #expect(complete.count == 1 && complete.first?["status"] as? String == "COMPLETE" && complete.first?["failureCode"] == nil)
            // Pushed before the destination allowed it, and not replicated since: not listed (ECR copies only what is pushed after).
            #expect(try await statuses(["imageTag": "before"]).isEmpty)
        }
    }

    @Test(.enabled(if: ExternalTool.available("aws") || ExternalTool.required, "the AWS CLI is not installed (pip install awscli)"))
    func theAWSCLIConfiguresPolicyAndReplication() async throws {
        try ExternalTool.require("aws")
        try await TestFakeECR.with { fake in
            let cli = TrailAWSCLITests.Lab(fake: fake)
            try await cli.aws(["ecr", "put-registry-policy", "--policy-text", Self.replicate])
            let text = try await cli.aws(["ecr", "get-registry-policy", "--query", "policyText", "--output", "text"])
            #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == Self.replicate)
            let rules = #"{"rules":[{"destinations":[{"region":"eu-west-1","registryId":"\#(TestFakeECR.accountId)"}]}]}"#
            try await cli.aws(["ecr", "put-replication-configuration", "--replication-configuration", rules])
            let region = try await cli.aws(["ecr", "describe-registry", "--query", "replicationConfiguration.rules[0].destinations[0].region", "--output", "text"])
            #expect(region.trimmingCharacters(in: .whitespacesAndNewlines) == "eu-west-1")
            try await cli.aws(["ecr", "create-repository", "--repository-name", "lab/app"])
            _ = try await RegistryClient.login(fake).pushImage("lab/app", tag: "v1", seed: "cli")
            let environment = cli.environment(["AWS_DEFAULT_REGION": "eu-west-1"])
            let listed = try await BoundedProcess.run(
                ["aws", "ecr", "list-images", "--repository-name", "lab/app", "--query", "imageIds[0].imageTag", "--output", "text"], environment: environment)
            #expect(listed.output.trimmingCharacters(in: .whitespacesAndNewlines) == "v1", "\(listed.summary)")
            let status = try await cli.aws([
                "ecr", "describe-image-replication-status", "--repository-name", "lab/app", "--image-id", "imageTag=v1",
                "--query", "replicationStatuses[0].[region,status]", "--output", "text",
            ])
            #expect(status.split(whereSeparator: \.isWhitespace) == ["eu-west-1", "COMPLETE"], "\(status)")
            try await cli.aws(["ecr", "delete-registry-policy"])
        }
    }
}
