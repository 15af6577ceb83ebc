import FakeECR
import FakeECRTesting
import Foundation
import Testing

@Suite("Repositories")
struct RepositoryTests {
    @Test func createDescribeDeleteHappyPath() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let created = try await fake.ecr("CreateRepository", #"{"repositoryName":"public.ecr.aws/nginx/nginx"}"#, region: "ap-northeast-1")
            #expect(created.status == 200)
            #expect(created.header("content-type") == "application/x-amz-json-1.1")
            #expect(created.header("x-amzn-RequestId")?.count == 36)
            let repository = try #require(created.json["repository"] as? [String: Any])
            #expect(repository["repositoryArn"] as? String == "arn:aws:ecr:ap-northeast-1:123456789012:repository/public.ecr.aws/nginx/nginx")
            #expect(repository["repositoryUri"] as? String == "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/public.ecr.aws/nginx/nginx")
            #expect(repository["registryId"] as? String == "123456789012")
            #expect(repository["imageTagMutability"] as? String == "MUTABLE")
            #expect((repository["encryptionConfiguration"] as? [String: Any])?["encryptionType"] as? String == "AES256")
            #expect((repository["imageScanningConfiguration"] as? [String: Any])?["scanOnPush"] as? Bool == false)
            let createdAt = try #require(repository["createdAt"] as? Double)
            #expect(abs(createdAt - Date().timeIntervalSince1970) < 60)

            // Another region of the same account is another registry.
            let elsewhere = try await fake.ecr("DescribeRepositories", region: "us-west-2")
            #expect((elsewhere.json["repositories"] as? [Any])?.count == 0)

            let described = try await fake.ecr("DescribeRepositories", #"{"repositoryNames":["public.ecr.aws/nginx/nginx"]}"#, region: "ap-northeast-1")
            #expect((described.json["repositories"] as? [[String: Any]])?.first?["repositoryName"] as? String == "public.ecr.aws/nginx/nginx")

            let deleted = try await fake.ecr("DeleteRepository", #"{"repositoryName":"public.ecr.aws/nginx/nginx"}"#, region: "ap-northeast-1")
            #expect(deleted.status == 200)
            #expect((deleted.json["repository"] as? [String: Any])?["repositoryName"] as? String == "public.ecr.aws/nginx/nginx")
            let after = try await fake.ecr("DescribeRepositories", region: "ap-northeast-1")
            #expect((after.json["repositories"] as? [Any])?.count == 0)
        }
    }

    @Test func createWithOptions() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let created = try await fake.ecr("CreateRepository", object: [
                "repositoryName": "team/app", "imageTagMutability": "IMMUTABLE",
                "imageScanningConfiguration": ["scanOnPush": true],
                "tags": [["Key": "owner", "Value": "student01"]],
            ])
            let repository = try #require(created.json["repository"] as? [String: Any])
            #expect(repository["imageTagMutability"] as? String == "IMMUTABLE")
            #expect((repository["imageScanningConfiguration"] as? [String: Any])?["scanOnPush"] as? Bool == true)
            let arn = try #require(repository["repositoryArn"] as? String)
            let tags = try await fake.ecr("ListTagsForResource", object: ["resourceArn": arn])
            #expect((tags.json["tags"] as? [[String: String]]) == [["Key": "owner", "Value": "student01"]])
        }
    }

    @Test func repositoryErrors() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"app"}"#)
            expectECRError(
                try await fake.ecr("CreateRepository", #"{"repositoryName":"app"}"#), "RepositoryAlreadyExistsException",
                messageContains: "The repository with name 'app' already exists in the registry with id '123456789012'")
            for bad in ["A", "Upper/Case", "a", String(repeating: "a", count: 257), "trailing/", "-lead", "a..b"] {
                expectECRError(
                    try await fake.ecr("CreateRepository", object: ["repositoryName": bad]), "InvalidParameterException",
                    messageContains: "Invalid parameter at 'repositoryName' failed to satisfy constraint")
            }
            expectECRError(
                try await fake.ecr("DescribeRepositories", #"{"repositoryNames":["app","missing"]}"#), "RepositoryNotFoundException",
                messageContains: "The repository with name 'missing' does not exist in the registry with id '123456789012'")
            expectECRError(
                try await fake.ecr("DescribeRepositories", #"{"repositoryNames":["app"],"maxResults":5}"#), "InvalidParameterException",
                messageContains: "maxResults")
            expectECRError(try await fake.ecr("DescribeRepositories", #"{"maxResults":0}"#), "InvalidParameterException")
            expectECRError(try await fake.ecr("DescribeRepositories", #"{"nextToken":"garbage!"}"#), "InvalidParameterException")
            expectECRError(
                try await fake.ecr("DeleteRepository", #"{"repositoryName":"missing"}"#), "RepositoryNotFoundException",
                messageContains: "'missing'")
            expectECRError(
                try await fake.ecr("CreateRepository", #"{"repositoryName":"x1","imageTagMutability":"SOMETIMES"}"#), "InvalidParameterException",
                messageContains: "imageTagMutability")
            expectECRError(try await fake.ecr("CreateRepository", #"{"repositoryName":"x2","registryId":"12"}"#), "InvalidParameterException")
        }
    }

    @Test func deleteNonEmptyNeedsForce() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"full"}"#)
            try await fake.uploadTestBlobs(to: "full")
            let put = try await fake.ecr("PutImage", object: ["repositoryName": "full", "imageManifest": testManifest(seed: "1"), "imageTag": "v1"])
            #expect(put.status == 200)
            expectECRError(
                try await fake.ecr("DeleteRepository", #"{"repositoryName":"full"}"#), "RepositoryNotEmptyException",
                messageContains: "The repository with name 'full' in registry with id '123456789012' cannot be deleted because it still contains images")
            let forced = try await fake.ecr("DeleteRepository", #"{"repositoryName":"full","force":true}"#)
            #expect(forced.status == 200)
        }
    }

    @Test func pagingVisitsEveryRepositoryOnce() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            for index in 0..<250 {
                let answer = try await fake.ecr("CreateRepository", object: ["repositoryName": String(format: "repo-%03d", index)])
                #expect(answer.status == 200)
            }
            var names: [String] = []
            var token: String?
            var pages = 0
            repeat {
                var body: [String: Any] = ["maxResults": 40]
                if let token { body["nextToken"] = token }
                let page = try await fake.ecr("DescribeRepositories", object: body)
                #expect(page.status == 200)
                names += (page.json["repositories"] as? [[String: Any]] ?? []).compactMap { $0["repositoryName"] as? String }
                token = page.json["nextToken"] as? String
                pages += 1
            } while token != nil && pages < 100
            #expect(pages == 7)
            #expect(names.count == 250)
            #expect(Set(names).count == 250)
            #expect(names == names.sorted())
            // Default page size: 100 with a token.
            let first = try await fake.ecr("DescribeRepositories")
            #expect((first.json["repositories"] as? [Any])?.count == 100)
            #expect(first.json["nextToken"] is String)
        }
    }

    @Test func tagMutabilityAndScanningConfiguration() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"imm"}"#)
            try await fake.uploadTestBlobs(to: "imm")
            let put = try await fake.ecr("PutImageTagMutability", #"{"repositoryName":"imm","imageTagMutability":"IMMUTABLE"}"#)
            #expect(put.json["imageTagMutability"] as? String == "IMMUTABLE")
            #expect(put.json["registryId"] as? String == "123456789012")
            _ = try await fake.ecr("PutImage", object: ["repositoryName": "imm", "imageManifest": testManifest(seed: "1"), "imageTag": "v1"])
            expectECRError(
                try await fake.ecr("PutImage", object: ["repositoryName": "imm", "imageManifest": testManifest(seed: "2"), "imageTag": "v1"]),
                "ImageTagAlreadyExistsException", messageContains: "'v1'")
            // Exclusion filters: tags matching latest* stay mutable.
            let withExclusion = try await fake.ecr("PutImageTagMutability", object: [
                "repositoryName": "imm", "imageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
                "imageTagMutabilityExclusionFilters": [["filterType": "WILDCARD", "filter": "latest*"]],
            ])
            #expect(withExclusion.status == 200)
            _ = try await fake.ecr("PutImage", object: ["repositoryName": "imm", "imageManifest": testManifest(seed: "1"), "imageTag": "latest"])
            let moved = try await fake.ecr("PutImage", object: ["repositoryName": "imm", "imageManifest": testManifest(seed: "3"), "imageTag": "latest"])
            #expect(moved.status == 200)
            expectECRError(
                try await fake.ecr("PutImageTagMutability", #"{"repositoryName":"imm","imageTagMutability":"MUTABLE_WITH_EXCLUSION"}"#),
                "InvalidParameterException")
            let scan = try await fake.ecr("PutImageScanningConfiguration", #"{"repositoryName":"imm","imageScanningConfiguration":{"scanOnPush":true}}"#)
            #expect((scan.json["imageScanningConfiguration"] as? [String: Any])?["scanOnPush"] as? Bool == true)
            expectECRError(
                try await fake.ecr("PutImageScanningConfiguration", #"{"repositoryName":"nope","imageScanningConfiguration":{"scanOnPush":true}}"#),
                "RepositoryNotFoundException")
        }
    }
}
