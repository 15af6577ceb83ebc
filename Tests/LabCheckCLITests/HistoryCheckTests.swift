import Checks
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Reports
import Testing

/// The lab run end to end against fake-ecr with the AWS CLI and skopeo (create, push, cache rule, pull
/// through the cache, cleanup), then `labcheck check` with an empty output folder: no ledger, so
/// every point must come from the account's CloudTrail history.
@Suite("labcheck check from the history", .serialized)
struct HistoryCheckTests {
    static var toolsPresent: Bool { ExternalTool.available("aws") && ExternalTool.available("skopeo") }
    static let upstream = RepositoryFiles.root.appendingPathComponent("fixtures/upstream")
    static let prefix = "public-ecr-5550123"
    static let repositories = [
        "public.ecr.aws/eks/aws-load-balancer-controller", "registry.k8s.io/autoscaling/cluster-autoscaler", "public.ecr.aws/nginx/nginx",
    ]

    @Test("after the whole lab and its cleanup, an empty output folder: 100%, every step's evidence from the trail",
          .enabled(if: toolsPresent || ExternalTool.required, "aws and skopeo are not installed (pip install awscli; apt-get install skopeo)"))
    func wholeLabThenCheckFromTheTrail() async throws {
        _ = try ExternalTool.require("aws")
        _ = try ExternalTool.require("skopeo")
        var configuration = TestFakeECR.configuration()
        configuration.upstreams = [
            "public.ecr.aws": .ociLayout(Self.upstream.appendingPathComponent("public.ecr.aws")),
            "registry.k8s.io": .ociLayout(Self.upstream.appendingPathComponent("registry.k8s.io")),
        ]
        // CloudTrail's own quota, enforced by the fake: labcheck must keep to it.
        configuration.trail.lookupRate = TrailConfiguration.awsLookupRate
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try await TestFakeECR.with(configuration) { fake in
            let credentials = TestFakeECR.exampleCredentials
            let environment = LabCheckBinary.environment([
                "AWS_ACCESS_KEY_ID": credentials.accessKeyId, "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
                "AWS_REGION": TestFakeECR.region, "AWS_DEFAULT_REGION": TestFakeECR.region, "AWS_ENDPOINT_URL": fake.endpoint.absoluteString,
            ], home: home)
            func aws(_ arguments: [String]) async throws -> String {
                let run = try await BoundedProcess.run(["aws"] + arguments + ["--output", "json"], environment: environment)
                try #require(run.status == 0, "aws \(arguments.joined(separator: " ")): \(run.summary)")
                return run.output
            }
            func skopeo(_ arguments: [String]) async throws {
                let run = try await BoundedProcess.run(["skopeo", "--insecure-policy"] + arguments, environment: environment, timeout: 180)
                try #require(run.status == 0, "skopeo \(arguments.joined(separator: " ")): \(run.summary)")
            }
            let host = "127.0.0.1:\(fake.server.port)"
            // 1. Repositories.
            for name in Self.repositories { _ = try await aws(["ecr", "create-repository", "--repository-name", name]) }
            // 2. Pushes (skopeo as the registry client; the password from the AWS CLI as in `docker login`).
            let password = try await aws(["ecr", "get-login-password"]).trimmingCharacters(in: .whitespacesAndNewlines)
            for (layout, ref, repository) in [
                ("public.ecr.aws", "eks/aws-load-balancer-controller:v2.9.2", Self.repositories[0]),
                ("registry.k8s.io", "autoscaling/cluster-autoscaler:v1.32.0", Self.repositories[1]),
                ("public.ecr.aws", "nginx/nginx:1.27", Self.repositories[2]),
            ] {
                let tag = String(ref.split(separator: ":").last ?? "")
                try await skopeo(["copy", "--all", "--dest-creds", "AWS:\(password)", "--dest-tls-verify=false",
                                  "oci:\(Self.upstream.appendingPathComponent(layout).path):\(ref)", "docker://\(host)/\(repository):\(tag)"])
            }
            // 3. The cache rule, 4. nginx pulled through it.
            _ = try await aws(["ecr", "create-pull-through-cache-rule", "--upstream-registry-url", "public.ecr.aws", "--ecr-repository-prefix", Self.prefix])
            let pulled = home.appendingPathComponent("pulled")
            try await skopeo(["copy", "--src-creds", "AWS:\(password)", "--src-tls-verify=false",
                              "docker://\(host)/\(Self.prefix)/nginx/nginx:1.27", "oci:\(pulled.path):1.27"])
            // 5. Cleanup, as 99_delete.sh does it.
            _ = try await aws(["ecr", "delete-pull-through-cache-rule", "--ecr-repository-prefix", Self.prefix])
            for name in Self.repositories + ["\(Self.prefix)/nginx/nginx"] {
                _ = try await aws(["ecr", "delete-repository", "--repository-name", name, "--force"])
            }

            let output = home.appendingPathComponent("reports-empty", isDirectory: true)
            let run = try await LabCheckBinary.run(
                ["check", "--pins", RepositoryFiles.fixturePins.path, "--output", output.path, "--format", "json", "--lang", "en"],
                environment: environment)
            #expect(run.status == 0, "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
            let result = try SummaryJSON.decode(Data(run.stdout.utf8), source: "stdout")
            #expect(result.percentage == 100, "\(result.steps.map { "\($0.id): \($0.status) \($0.message.en)" }.joined(separator: "\n"))")
            for step in result.steps {
                #expect(step.source == .trail, "\(step.id): \(String(describing: step.source)) — \(step.message.en)")
                #expect(step.evidence?.event?.principalArn?.hasPrefix("arn:aws:iam::\(TestFakeECR.accountId):") == true, "\(step.id)")
            }
            #expect(result.steps.first { $0.id == "image-nginx" }?.content?.verified == true)
            // Everything happened seconds ago: the report says recent work may not show yet.
            #expect(result.warnings.map(\.code) == [.historyLag], "\(result.warnings)")
            // The reports name the source too.
            let text = try String(contentsOf: output.appendingPathComponent("junit.xml"), encoding: .utf8)
            #expect(text.contains("step.image-nginx.source\" value=\"trail\""), "\(text.prefix(2000))")
        }
    }
}
