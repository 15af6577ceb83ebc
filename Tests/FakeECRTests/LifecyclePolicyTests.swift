import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// Lifecycle policies as ECR runs them: validated with ECR's messages, previewed
/// (StartLifecyclePolicyPreview, GetLifecyclePolicyPreview) and evaluated at a clock tests move,
/// expiring images and recording ECR's PolicyExecutionEvent in the trail.
@Suite("Lifecycle policies", .serialized)
struct LifecyclePolicyTests {
    static func rule(_ priority: Int, _ selection: String, description: String = "r") -> String {
        #"{"rulePriority":\#(priority),"description":"\#(description)","selection":\#(selection),"action":{"type":"expire"}}"#
    }
    static func policy(_ rules: String...) -> String { #"{"rules":[\#(rules.joined(separator: ","))]}"# }

    static let keepOneRelease = rule(1, #"{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1}"#, description: "one release")
    static let untaggedAfterADay = rule(2, #"{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1}"#)
    static let standard = policy(keepOneRelease, untaggedAfterADay)

    @Test(arguments: [
        // The model's minimum length is 100 characters: the short ones are padded with spaces.
        (#"{"rules":"x"}"# + String(repeating: " ", count: 100), #"missing required properties (["rules"])"#),
        (#"{"rules":[]}"# + String(repeating: " ", count: 100), "array is too short"),
        (policy(rule(0, #"{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}"#)), "minimum: 1, found: 0"),
        (policy(rule(1, #"{"tagStatus":"some","countType":"imageCountMoreThan","countNumber":1}"#)), #"instance value ("some") not found in enum"#),
        (policy(rule(1, #"{"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1}"#)), "tagPrefixList or tagPatternList is required"),
        (policy(rule(1, #"{"tagStatus":"untagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1}"#)), "can only be used with tagStatus 'tagged'"),
        (policy(rule(1, #"{"tagStatus":"tagged","tagPrefixList":["v"],"tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":1}"#)), "cannot both be given"),
        (policy(rule(1, #"{"tagStatus":"any","countType":"sinceImagePushed","countNumber":1}"#)), "countUnit is required"),
        (policy(rule(1, #"{"tagStatus":"any","countType":"imageCountMoreThan","countUnit":"days","countNumber":1}"#)), "countUnit cannot be used"),
        (policy(rule(1, #"{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0}"#)), "minimum: 1, found: 0"),
        (policy(rule(1, #"{"tagStatus":"any","countType":"imageCountMoreThan"}"#)), #"missing required properties (["countNumber"])"#),
        (policy(rule(1, #"{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1}"#), rule(1, #"{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":2}"#)), "used by more than one rule"),
        (policy(rule(1, #"{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1}"#), rule(2, #"{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":2}"#)), "tagStatus 'any' must have the highest rulePriority"),
        (policy(rule(1, #"{"tagStatus":"tagged","tagPatternList":["*a*b*c*d*e"],"countType":"imageCountMoreThan","countNumber":1}"#)), "more than 4 wildcards"),
        (#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"delete"}}]}"#, #"("delete") not found in enum"#),
        (#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"},"extra":1}]}"#, #"not allowed by the schema: ["extra"]"#),
    ])
    func invalidPoliciesAreRefusedWithECRsMessages(text: String, message: String) async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            expectECRError(
                try await fake.ecr("PutLifecyclePolicy", object: ["repositoryName": "app", "lifecyclePolicyText": text]), "InvalidParameterException",
                messageContains: "Lifecycle policy validation failure: ")
            let answer = try await fake.ecr("PutLifecyclePolicy", object: ["repositoryName": "app", "lifecyclePolicyText": text])
            #expect((answer.message ?? "").contains(message), "\(answer.message ?? "")")
        }
    }

    /// Three releases v1..v3 and two untagged images (an older `latest`, pushed over).
    static func pushImages(_ fake: TestFakeECR) async throws -> [String: String] {
        _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
        let registry = try await RegistryClient.login(fake)
        var digests: [String: String] = [:]
        for tag in ["v1", "v2", "v3"] { digests[tag] = try await registry.pushImage("app", tag: tag, seed: tag).digest }
        digests["old-latest"] = try await registry.pushImage("app", tag: "latest", seed: "old").digest
        digests["latest"] = try await registry.pushImage("app", tag: "latest", seed: "new").digest
        return digests
    }

    static func remaining(_ fake: TestFakeECR) async throws -> Set<String> {
        let listed = try await fake.ecr("DescribeImages", object: ["repositoryName": "app"])
        return Set((listed.json["imageDetails"] as? [[String: Any]] ?? []).compactMap { $0["imageDigest"] as? String })
    }

    @Test func aPreviewShowsWhatTheClockWouldExpire() async throws {
        try await TestFakeECR.with { fake in
            let digests = try await Self.pushImages(fake)
            expectECRError(try await fake.ecr("GetLifecyclePolicyPreview", object: ["repositoryName": "app"]), "LifecyclePolicyPreviewNotFoundException")
            expectECRError(try await fake.ecr("StartLifecyclePolicyPreview", object: ["repositoryName": "app"]), "LifecyclePolicyNotFoundException")
            let started = try await fake.ecr("StartLifecyclePolicyPreview", object: ["repositoryName": "app", "lifecyclePolicyText": Self.standard])
            #expect(started.json["status"] as? String == "IN_PROGRESS", "\(started.text)")
            let preview = try await fake.ecr("GetLifecyclePolicyPreview", object: ["repositoryName": "app"])
            #expect(preview.json["status"] as? String == "COMPLETE", "\(preview.text)")
            let results = preview.json["previewResults"] as? [[String: Any]] ?? []
            #expect(results.compactMap { $0["imageDigest"] as? String } == [digests["v1"], digests["v2"]].compactMap { $0 })
            #expect(results.first?["appliedRulePriority"] as? Int == 1)
            #expect((results.first?["action"] as? [String: Any])?["type"] as? String == "EXPIRE")
            #expect((preview.json["summary"] as? [String: Any])?["expiringImageTotalCount"] as? Int == 2)

            // Two days on, the untagged image is a day past its rule too.
            fake.server.clock.advance(by: 2 * 86_400)
            _ = try await fake.ecr("StartLifecyclePolicyPreview", object: ["repositoryName": "app", "lifecyclePolicyText": Self.standard])
            let later = try await fake.ecr("GetLifecyclePolicyPreview", object: ["repositoryName": "app", "filter": ["tagStatus": "UNTAGGED"]])
            #expect((later.json["previewResults"] as? [[String: Any]])?.compactMap { $0["imageDigest"] as? String } == [digests["old-latest"]].compactMap { $0 })
            #expect(try await Self.remaining(fake).count == 5, "a preview expires nothing")
        }
    }

    @Test func evaluationExpiresImagesAndRecordsAPolicyExecutionEvent() async throws {
        try await TestFakeECR.with { fake in
            let digests = try await Self.pushImages(fake)
            #expect(try await fake.ecr("PutLifecyclePolicy", object: ["repositoryName": "app", "lifecyclePolicyText": Self.standard]).status == 200)
            let runs = try await fake.server.evaluateLifecyclePolicies()
            #expect(runs.first?.expired.map(\.imageDigest) == [digests["v1"], digests["v2"]].compactMap { $0 })
            #expect(try await Self.remaining(fake) == Set([digests["v3"], digests["old-latest"], digests["latest"]].compactMap { $0 }))
            #expect(try await fake.server.evaluateLifecyclePolicies().isEmpty, "nothing more to expire today")

            fake.server.clock.advance(by: 2 * 86_400)
            #expect(try await fake.server.evaluateLifecyclePolicies().first?.expired.map(\.rulePriority) == [2])
            #expect(try await Self.remaining(fake) == Set([digests["v3"], digests["latest"]].compactMap { $0 }))

            let events = await fake.server.trail(accountId: TestFakeECR.accountId, region: TestFakeECR.region).filter { $0.eventName == "PolicyExecutionEvent" }
            #expect(events.count == 2)
            let first = try #require(events.first)
            #expect(first.eventType == "AwsServiceEvent" && first.eventSource == "ecr.amazonaws.com")
            #expect(first.resources?.first?.arn == "arn:aws:ecr:\(TestFakeECR.region):\(TestFakeECR.accountId):repository/app")
            let details = try #require(first.serviceEventDetails)
            #expect(details["repositoryName"]?.stringValue == "app")
            let actions = details["lifecycleEventImageActions"]?.arrayValue ?? []
            #expect(actions.compactMap { $0["lifecycleEventImage"]?["digest"]?.stringValue } == [digests["v1"], digests["v2"]].compactMap { $0 })
            #expect(details["lifecycleEventPolicy"]?["lifecycleEventRules"]?.arrayValue?.count == 2)
        }
    }

    @Test func tagPatternsAndSeveralPrefixesSelectAsECRDocuments() async throws {
        try await TestFakeECR.with { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            let registry = try await RegistryClient.login(fake)
            let both = try await registry.pushImage("app", tag: "prod-1", seed: "both")
            _ = try await fake.ecr("PutImage", object: ["repositoryName": "app", "imageManifest": both.manifest, "imageTag": "stable-1"])
            let prodOnly = try await registry.pushImage("app", tag: "prod-2", seed: "prod only")
            let other = try await registry.pushImage("app", tag: "dev-1", seed: "dev")
            // Only images with a tag of each prefix are selected; every one of them expires (count 1 keeps none past the newest).
            let prefixes = Self.policy(Self.rule(1, #"{"tagStatus":"tagged","tagPrefixList":["prod","stable"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1}"#))
            _ = try await fake.ecr("PutLifecyclePolicy", object: ["repositoryName": "app", "lifecyclePolicyText": prefixes])
            fake.server.clock.advance(by: 3 * 86_400)
            #expect(try await fake.server.evaluateLifecyclePolicies().first?.expired.map(\.imageDigest) == [both.digest])
            let patterns = Self.policy(Self.rule(1, #"{"tagStatus":"tagged","tagPatternList":["*-2"],"countType":"sinceImagePushed","countUnit":"days","countNumber":1}"#))
            _ = try await fake.ecr("PutLifecyclePolicy", object: ["repositoryName": "app", "lifecyclePolicyText": patterns])
            #expect(try await fake.server.evaluateLifecyclePolicies().first?.expired.map(\.imageDigest) == [prodOnly.digest])
            #expect(try await Self.remaining(fake) == [other.digest])
        }
    }

    @Test(.enabled(if: ExternalTool.available("aws") || ExternalTool.required, "the AWS CLI is not installed (pip install awscli)"))
    func theAWSCLIPreviewsAndTheAdminAPIEvaluates() async throws {
        try ExternalTool.require("aws")
        try await TestFakeECR.with(AdminStateTests.admin(TestFakeECR.configuration())) { fake in
            let digests = try await Self.pushImages(fake)
            let cli = TrailAWSCLITests.Lab(fake: fake)
            try await cli.aws(["ecr", "put-lifecycle-policy", "--repository-name", "app", "--lifecycle-policy-text", Self.standard])
            try await cli.aws(["ecr", "start-lifecycle-policy-preview", "--repository-name", "app"])
            let preview = try await cli.aws([
                "ecr", "get-lifecycle-policy-preview", "--repository-name", "app", "--query", "previewResults[].imageDigest", "--output", "text",
            ])
            #expect(preview.split(whereSeparator: \.isWhitespace).map(String.init) == [digests["v1"], digests["v2"]].compactMap { $0 })
            let moved = try await fake.send("POST", "/_fake/clock", body: Data(#"{"advanceSeconds":172800}"#.utf8))
            #expect(moved.status == 200 && (moved.json["offsetSeconds"] as? Double) == 172_800, "\(moved.text)")
            let evaluated = try await fake.send("POST", "/_fake/lifecycle/evaluate")
            #expect(evaluated.status == 200, "\(evaluated.text)")
            let listed = try await cli.aws(["ecr", "list-images", "--repository-name", "app", "--query", "imageIds[].imageTag", "--output", "text"])
            #expect(Set(listed.split(whereSeparator: \.isWhitespace).map(String.init)) == ["v3", "latest"])
            let events = try await cli.lookup(["--lookup-attributes", "AttributeKey=EventName,AttributeValue=PolicyExecutionEvent"])
            #expect(events.count == 1, "\(events)")
        }
    }
}
