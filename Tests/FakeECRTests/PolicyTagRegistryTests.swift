import FakeECR
import FakeECRTesting
import Foundation
import Testing

@Suite("Policies, tags, registry and tokens")
struct PolicyTagRegistryTests {
    static let lifecycle = #"{"rules":[{"rulePriority":1,"description":"expire untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}"#
    static let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage"]}]}"#

    @Test func lifecyclePolicy() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"app"}"#)
            expectECRError(
                try await fake.ecr("GetLifecyclePolicy", #"{"repositoryName":"app"}"#), "LifecyclePolicyNotFoundException",
                messageContains: "Lifecycle policy does not exist for the repository with name 'app' in the registry with id '123456789012'")
            let put = try await fake.ecr("PutLifecyclePolicy", object: ["repositoryName": "app", "lifecyclePolicyText": Self.lifecycle])
            #expect(put.json["lifecyclePolicyText"] as? String == Self.lifecycle)
            let got = try await fake.ecr("GetLifecyclePolicy", #"{"repositoryName":"app"}"#)
            #expect(got.json["lifecyclePolicyText"] as? String == Self.lifecycle)
            let deleted = try await fake.ecr("DeleteLifecyclePolicy", #"{"repositoryName":"app"}"#)
            #expect(deleted.json["lifecyclePolicyText"] as? String == Self.lifecycle)
            expectECRError(try await fake.ecr("DeleteLifecyclePolicy", #"{"repositoryName":"app"}"#), "LifecyclePolicyNotFoundException")
            expectECRError(
                try await fake.ecr("PutLifecyclePolicy", object: ["repositoryName": "nope", "lifecyclePolicyText": Self.lifecycle]),
                "RepositoryNotFoundException")
            expectECRError(
                try await fake.ecr("PutLifecyclePolicy", object: ["repositoryName": "app", "lifecyclePolicyText": String(repeating: "x", count: 120)]),
                "InvalidParameterException")
        }
    }

    @Test func repositoryPolicy() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"app"}"#)
            expectECRError(
                try await fake.ecr("GetRepositoryPolicy", #"{"repositoryName":"app"}"#), "RepositoryPolicyNotFoundException",
                messageContains: "Repository policy does not exist for the repository with name 'app'")
            let set = try await fake.ecr("SetRepositoryPolicy", object: ["repositoryName": "app", "policyText": Self.policy])
            #expect(set.json["policyText"] as? String == Self.policy)
            #expect(try await fake.ecr("GetRepositoryPolicy", #"{"repositoryName":"app"}"#).json["policyText"] as? String == Self.policy)
            #expect(try await fake.ecr("DeleteRepositoryPolicy", #"{"repositoryName":"app"}"#).status == 200)
            expectECRError(try await fake.ecr("DeleteRepositoryPolicy", #"{"repositoryName":"app"}"#), "RepositoryPolicyNotFoundException")
            expectECRError(
                try await fake.ecr("SetRepositoryPolicy", object: ["repositoryName": "app", "policyText": "not json"]), "InvalidParameterException")
        }
    }

    @Test func tags() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let created = try await fake.ecr("CreateRepository", #"{"repositoryName":"app"}"#, region: "ap-northeast-1")
            let arn = try #require((created.json["repository"] as? [String: Any])?["repositoryArn"] as? String)
            #expect(try await fake.ecr("TagResource", object: ["resourceArn": arn, "tags": [["Key": "a", "Value": "1"], ["Key": "b", "Value": "2"]]]).status == 200)
            #expect(try await fake.ecr("UntagResource", object: ["resourceArn": arn, "tagKeys": ["a"]]).status == 200)
            let listed = try await fake.ecr("ListTagsForResource", object: ["resourceArn": arn])
            #expect((listed.json["tags"] as? [[String: String]]) == [["Key": "b", "Value": "2"]])
            expectECRError(try await fake.ecr("ListTagsForResource", #"{"resourceArn":"arn:nope"}"#), "InvalidParameterException", messageContains: "Invalid ARN")
            expectECRError(
                try await fake.ecr("ListTagsForResource", #"{"resourceArn":"arn:aws:ecr:ap-northeast-1:123456789012:repository/missing"}"#),
                "RepositoryNotFoundException")
            let many = (0..<51).map { ["Key": "k\($0)", "Value": "v"] }
            expectECRError(try await fake.ecr("TagResource", object: ["resourceArn": arn, "tags": many]), "TooManyTagsException")
            expectECRError(try await fake.ecr("TagResource", object: ["resourceArn": arn, "tags": [["Key": "", "Value": "v"]]]), "InvalidTagParameterException")
        }
    }

    @Test func describeRegistryAndAuthorizationToken() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let registry = try await fake.ecr("DescribeRegistry", region: "ap-northeast-1")
            #expect(registry.json["registryId"] as? String == "123456789012")
            #expect((registry.json["replicationConfiguration"] as? [String: Any])?["rules"] as? [Any] != nil)

            let answer = try await fake.ecr("GetAuthorizationToken", region: "ap-northeast-1")
            let data = try #require((answer.json["authorizationData"] as? [[String: Any]])?.first)
            #expect(data["proxyEndpoint"] as? String == fake.base)
            let expiresAt = try #require(data["expiresAt"] as? Double)
            #expect(abs(expiresAt - Date().timeIntervalSince1970 - 12 * 3600) < 60)
            let token = try #require(data["authorizationToken"] as? String)
            let decoded = String(decoding: try #require(Data(base64Encoded: token)), as: UTF8.self)
            #expect(decoded.hasPrefix("AWS:"))
            let password = String(decoded.dropFirst(4))
            #expect(!password.contains(":"))
            let grant = try #require(fake.server.verifyRegistryPassword(password))
            #expect(grant.accountId == "123456789012")
            #expect(grant.region == "ap-northeast-1")
            #expect(fake.server.verifyRegistryPassword(password + "x") == nil)
            #expect(fake.server.verifyRegistryPassword("AAAA.BBBB") == nil)
        }
    }

    @Test func protocolErrors() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            expectECRError(try await fake.ecr("MakeCoffee"), "UnknownOperationException")
            let wrongService = try await fake.send("POST", "/", headers: [("X-Amz-Target", "DynamoDB_20120810.ListTables"), ("Content-Type", "application/x-amz-json-1.1")], body: Data("{}".utf8))
            expectECRError(wrongService, "UnknownOperationException")
            expectECRError(try await fake.ecr("CreateRepository", "{not json"), "SerializationException")
            expectECRError(try await fake.ecr("CreateRepository", #"{"repositoryName":5}"#), "SerializationException")
            expectECRError(try await fake.ecr("CreateRepository", "{}"), "ValidationException", messageContains: "repositoryName")
            // Neither ECR, STS, admin nor the registry (/v2/): a JSON 404.
            #expect(try await fake.send("GET", "/elsewhere").status == 404)
        }
    }
}
