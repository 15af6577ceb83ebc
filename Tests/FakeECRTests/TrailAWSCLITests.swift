import ECRWire
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// The lab's calls with the real AWS CLI and skopeo, then `aws cloudtrail lookup-events` against the
/// fake: a record of the documented shape for each call (skipped when the tools are missing, unless
/// LABCHECK_REQUIRE_TOOLS=1).
@Suite("CloudTrail history of the lab with the AWS CLI", .serialized)
struct TrailAWSCLITests {
    static let prefix = "public-ecr-lab"

    struct Lab {
        let fake: TestFakeECR
        var endpoint: String { fake.base }

        func environment(_ extra: [String: String] = [:], endpointVariable: String = "AWS_ENDPOINT_URL") -> [String: String] {
            [
                endpointVariable: endpoint, "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "AWS_DEFAULT_REGION": TestFakeECR.region, "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1",
            ].merging(extra) { _, new in new }
        }

        @discardableResult
        func aws(_ arguments: [String], endpointVariable: String = "AWS_ENDPOINT_URL") async throws -> String {
            let result = try await BoundedProcess.run(["aws"] + arguments, environment: environment(endpointVariable: endpointVariable), timeout: 300)
            try #require(result.status == 0, "aws \(arguments.joined(separator: " ")): \(result.summary)")
            return result.output
        }

        func skopeo(_ arguments: [String]) async throws {
            let result = try await BoundedProcess.run(["skopeo", "--insecure-policy"] + arguments, timeout: 300)
            try #require(result.status == 0, "skopeo \(arguments.joined(separator: " ")): \(result.summary)")
        }

        /// `aws cloudtrail lookup-events` with these arguments: its Events.
        func lookup(_ arguments: [String] = [], endpointVariable: String = "AWS_ENDPOINT_URL") async throws -> [[String: Any]] {
            let output = try await aws(["cloudtrail", "lookup-events", "--output", "json"] + arguments, endpointVariable: endpointVariable)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
            return object["Events"] as? [[String: Any]] ?? []
        }
    }

    /// Runs the lab: create, push, cache rule, pull through the cache, cleanup.
    static func runLab(_ lab: Lab) async throws {
        let host = "127.0.0.1:\(lab.fake.server.port)"
        try await lab.aws(["ecr", "create-repository", "--repository-name", "lab/app"])
        let password = try await lab.aws(["ecr", "get-login-password"]).trimmingCharacters(in: .whitespacesAndNewlines)
        try await lab.skopeo([
            "copy", "--dest-creds", "AWS:\(password)", "--dest-tls-verify=false", "oci:\(RegistryFixtures.publicECR.path):nginx/nginx:1.27",
            "docker://\(host)/lab/app:v1",
        ])
        try await lab.aws(["ecr", "create-pull-through-cache-rule", "--ecr-repository-prefix", prefix, "--upstream-registry-url", "public.ecr.aws"])
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("trail-pull-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        try await lab.skopeo([
            "copy", "--src-creds", "AWS:\(password)", "--src-tls-verify=false", "docker://\(host)/\(prefix)/nginx/nginx:1.27", "oci:\(output.path):1.27",
        ])
        try await lab.aws(["ecr", "delete-pull-through-cache-rule", "--ecr-repository-prefix", prefix])
        try await lab.aws(["ecr", "delete-repository", "--repository-name", "lab/app", "--force"])
    }

    static var enabled: Bool { (ExternalTool.available("aws") && ExternalTool.available("skopeo")) || ExternalTool.required }

    @Test(.enabled(if: TrailAWSCLITests.enabled, "aws CLI or skopeo not installed"))
    func theLabsCallsAsLookupEventsShowsThem() async throws {
        try ExternalTool.require("aws")
        try ExternalTool.require("skopeo")
        try await TestFakeECR.with(TestFakeECR.configuration(trail: TrailConfiguration(lookupRate: 0))) { fake in
            await fake.server.setUpstream("public.ecr.aws", .ociLayout(RegistryFixtures.publicECR))
            let lab = Lab(fake: fake)
            try await Self.runLab(lab)
            let events = try await lab.lookup()
            let records = try events.map(TrailAnswers.record)
            func named(_ name: String) -> [CloudTrailRecord] { records.filter { $0.eventName == name } }
            let names = Set(records.map(\.eventName))
            for expected in [
                "CreateRepository", "GetAuthorizationToken", "BatchCheckLayerAvailability", "InitiateLayerUpload", "CompleteLayerUpload", "PutImage",
                "CreatePullThroughCacheRule", "BatchGetImage", "GetDownloadUrlForLayer", "DeletePullThroughCacheRule", "DeleteRepository",
            ] {
                #expect(names.contains(expected), "no \(expected) among \(names.sorted())")
            }
            // Every record: the documented envelope, in the lab's account and region.
            for record in records {
                #expect(record.eventSource == "ecr.amazonaws.com")
                #expect(record.awsRegion == TestFakeECR.region && record.recipientAccountId == TestFakeECR.accountId)
                #expect(record.eventType == "AwsApiCall" && record.managementEvent && record.eventCategory == "Management")
                #expect(record.eventID.count == 36)
                #expect(record.readOnly == ["Get", "Batch", "Describe", "List"].contains { record.eventName.hasPrefix($0) })
            }
            let created = try #require(named("CreateRepository").first { $0.userIdentity.type == "IAMUser" })
            #expect(created.requestParameters?["repositoryName"]?.stringValue == "lab/app")
            #expect(created.responseElements?["repository"]?["repositoryArn"]?.stringValue == "arn:aws:ecr:ap-northeast-1:539666729110:repository/lab/app")
            #expect(created.userAgent.contains("aws-cli"))
            #expect(created.userIdentity.accessKeyId == "AKIAIOSFODNN7EXAMPLE")
            #expect(created.resources?.first?.arn == "arn:aws:ecr:ap-northeast-1:539666729110:repository/lab/app")

            let put = try #require(named("PutImage").first { $0.requestParameters?["imageTag"]?.stringValue == "v1" })
            #expect(put.requestParameters?["repositoryName"]?.stringValue == "lab/app")
            #expect(put.requestParameters?["imageManifest"]?.stringValue?.contains("\"layers\"") == true)
            let digest = try #require(put.responseElements?["image"]?["imageId"]?["imageDigest"]?.stringValue)
            #expect(digest.hasPrefix("sha256:"))
            #expect(put.userAgent.contains("containers") || put.userAgent.contains("skopeo") || !put.userAgent.isEmpty)
            #expect(named("CompleteLayerUpload").allSatisfy { $0.requestParameters?["layerDigests"]?.arrayValue?.isEmpty == false })

            let rule = try #require(named("CreatePullThroughCacheRule").first)
            #expect(rule.requestParameters?["ecrRepositoryPrefix"]?.stringValue == Self.prefix)
            #expect(rule.responseElements?["ecrRepositoryPrefix"]?.stringValue == Self.prefix)
            #expect(rule.responseElements?["upstreamRegistryUrl"]?.stringValue == "public.ecr.aws")
            #expect(named("DeletePullThroughCacheRule").first?.responseElements?["ecrRepositoryPrefix"]?.stringValue == Self.prefix)

            let tagPull = JSONValue.array([.object(["imageTag": .string("1.27")])])
            let pulled = try #require(named("BatchGetImage").first {
                $0.requestParameters?["repositoryName"]?.stringValue == "\(Self.prefix)/nginx/nginx" && $0.requestParameters?["imageIds"] == tagPull
            })
            #expect(pulled.requestParameters?["acceptedMediaTypes"]?.arrayValue?.isEmpty == false)
            #expect(named("GetDownloadUrlForLayer").contains { $0.requestParameters?["layerDigest"]?.stringValue?.hasPrefix("sha256:") == true })
            let cacheCreated = try #require(named("CreateRepository").first { $0.userIdentity.type == "AWSService" })
            #expect(cacheCreated.userIdentity.invokedBy == "ecr.amazonaws.com")
            #expect(cacheCreated.requestParameters?["repositoryName"]?.stringValue == "\(Self.prefix)/nginx/nginx")

            let deleted = try #require(named("DeleteRepository").first)
            #expect(deleted.requestParameters?["force"] == .bool(true))
            #expect(deleted.responseElements?["repository"]?["repositoryName"]?.stringValue == "lab/app")

            // Newest first, in the order of the lab.
            let order = records.map(\.eventName)
            #expect(order.first == "DeleteRepository")
            #expect(try #require(order.firstIndex(of: "DeletePullThroughCacheRule")) < order.lastIndex(of: "CreatePullThroughCacheRule") ?? 0)

            // The service's own endpoint variable, with a lookup attribute.
            let viaService = try await lab.lookup(
                ["--lookup-attributes", "AttributeKey=EventName,AttributeValue=PutImage"], endpointVariable: "AWS_ENDPOINT_URL_CLOUDTRAIL")
            #expect(!viaService.isEmpty)
            #expect(viaService.allSatisfy { $0["EventName"] as? String == "PutImage" })
            let byResource = try await lab.lookup(["--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=lab/app"])
            #expect(Set(byResource.compactMap { $0["EventName"] as? String }).isSuperset(of: ["CreateRepository", "PutImage", "DeleteRepository"]))

            // Paging with small pages: every event exactly once, newest first.
            let paged = try await lab.lookup(["--page-size", "2"])
            #expect(paged.compactMap { $0["EventId"] as? String } == events.compactMap { $0["EventId"] as? String })
            var tokenPaged: [String] = []
            var token: String?
            repeat {
                let output = try await lab.aws(["cloudtrail", "lookup-events", "--output", "json", "--max-items", "5", "--page-size", "3"] + (token.map { ["--starting-token", $0] } ?? []))
                let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
                tokenPaged += (object["Events"] as? [[String: Any]] ?? []).compactMap { $0["EventId"] as? String }
                token = object["NextToken"] as? String
            } while token != nil
            #expect(tokenPaged == events.compactMap { $0["EventId"] as? String })
        }
    }

    /// `--trail-cache-repository-events off`: the pull through the cache leaves no CreateRepository of its own.
    @Test(.enabled(if: TrailAWSCLITests.enabled, "aws CLI or skopeo not installed"))
    func cacheRepositoryEventsCanBeTurnedOff() async throws {
        try ExternalTool.require("aws")
        try ExternalTool.require("skopeo")
        try await TestFakeECR.with(TestFakeECR.configuration(trail: TrailConfiguration(lookupRate: 0, cacheRepositoryEvents: false))) { fake in
            await fake.server.setUpstream("public.ecr.aws", .ociLayout(RegistryFixtures.publicECR))
            let lab = Lab(fake: fake)
            try await Self.runLab(lab)
            let records = try await lab.lookup(["--lookup-attributes", "AttributeKey=EventName,AttributeValue=CreateRepository"]).map(TrailAnswers.record)
            #expect(records.map(\.userIdentity.type) == ["IAMUser"])
            let pulls = try await lab.lookup(["--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=\(Self.prefix)/nginx/nginx"])
            #expect(pulls.contains { $0["EventName"] as? String == "BatchGetImage" })
        }
    }
}
