import Foundation
import LabCheckTestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `labcheck verify-lab --policy lab`: each of the lab's scripts runs first as a user holding exactly the lab text's
/// pull and push policies (fixtures/lab/policies/) against the embedded fake enforcing IAM, with the real AWS CLI
/// and docker or podman; every refused command is reported with its action, and the stages still reach their scores
/// (the administrator re-runs what was refused). What it finds is a finding about the lab content: exit 1.
extension VerifyLabTests {
    static let student = "arn:aws:iam::539666729110:user/lab-student"

    /// What the lab's policy lists lack, script by script (the commands as the trace shows them).
    static func expectedRefusals(prefix: String) -> [(script: String, command: String, action: String)] {
        [
            ("01_create_repository/01_create_aws_lbc_ecr_cluster.sh", "aws ecr create-repository --repository-name public.ecr.aws/eks/aws-load-balancer-controller", "ecr:CreateRepository"),
            ("01_create_repository/02_create_cluster_autoscaler_ecr.sh", "aws ecr create-repository --repository-name registry.k8s.io/autoscaling/cluster-autoscaler", "ecr:CreateRepository"),
            ("01_create_repository/03_create_nginx_ecr.sh", "aws ecr create-repository --repository-name public.ecr.aws/nginx/nginx", "ecr:CreateRepository"),
            ("03_create_pull_through_cache/01_create_pull_through_cache.sh", "aws ecr create-pull-through-cache-rule", "ecr:CreatePullThroughCacheRule"),
            ("03_create_pull_through_cache/02_nginx_image_pull.sh", "docker pull 539666729110.dkr.ecr.ap-northeast-1.amazonaws.com/\(prefix)/nginx/nginx:1.27", "ecr:BatchImportUpstreamImage"),
            ("99_delete/99_delete.sh", "aws ecr delete-pull-through-cache-rule --ecr-repository-prefix \(prefix)", "ecr:DeletePullThroughCacheRule"),
            ("99_delete/99_delete.sh", "aws ecr list-images --repository-name public.ecr.aws/eks/aws-load-balancer-controller", "ecr:ListImages"),
            ("99_delete/99_delete.sh", "aws ecr delete-repository --repository-name public.ecr.aws/eks/aws-load-balancer-controller --force", "ecr:DeleteRepository"),
        ]
    }

    @Test("--policy lab: the lab text's policies push but refuse creating repositories, the cache rule, the cache's import and the cleanup; named per script and command",
          .enabled(if: runnable || ExternalTool.required, skipReason), arguments: clients)
    func leastPrivilegeRunNamesWhatTheLabsPoliciesLack(client: String) async throws {
        try Self.requireTools()
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let prefix = "public-ecr-7654321"
        let run = try await Self.verifyLab(["--client", client, "--policy", "lab", "--prefix", prefix], home: home)
        #expect(run.status == 1, "a finding about the lab content, not a crash: stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
        // Every stage still reaches its score: what the student was refused, the administrator did.
        for stage in ["create-repositories", "push-images", "create-cache-rule", "pull-through-cache", "cleanup"] {
            #expect(run.stdout.contains("✓ stage \(stage) "), "stage \(stage):\n\(run.stdout)")
        }
        #expect(run.stderr.contains("policy lab: each script runs first as \(Self.student), holding only policies/required-iam-permissions-1-image-pull.json, policies/required-iam-permissions-2-image-push.json"), "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("  ") && $0.contains(" → ") }
        for expected in Self.expectedRefusals(prefix: prefix) {
            #expect(lines.contains { $0.hasPrefix("  \(expected.script): \(expected.command)") && $0.contains(" → \(expected.action)") },
                    "\(expected.script): \(expected.command) → \(expected.action) missing from:\n\(lines.joined(separator: "\n"))")
        }
        // The pushes need nothing more than the push policy gives (its example resource filled with the lab's repositories).
        #expect(!lines.contains { $0.contains("02_image_push/") }, "\(lines.joined(separator: "\n"))")
        let refused = Set(lines.compactMap { $0.components(separatedBy: " → ").last?.split(separator: " ").first.map(String.init) })
        #expect(refused == ["ecr:CreateRepository", "ecr:CreatePullThroughCacheRule", "ecr:BatchImportUpstreamImage", "ecr:DeletePullThroughCacheRule",
                            "ecr:ListImages", "ecr:DeleteRepository"], "\(lines.joined(separator: "\n"))")
        #expect(run.stdout.contains("verify-lab: policy lab: a finding about the lab content: the lab's steps take 6 action(s) its policies"), "\(run.stdout)")
        #expect(run.stderr.contains("FAILED: the lab's policies lack ecr:CreateRepository, ecr:CreatePullThroughCacheRule, ecr:BatchImportUpstreamImage"), "\(run.stderr)")

        // The JUnit: each refused script is a failure of its own, the pushes are not; each run's log is kept.
        let suites = Self.suites(try Self.junit(home))
        #expect(suites["ecr-lab.create-repositories"]?.attribute(forName: "failures")?.stringValue == "3")
        #expect(suites["ecr-lab.push-images"]?.attribute(forName: "failures")?.stringValue == "0")
        let failure = suites["ecr-lab.pull-through-cache"]?.elements(forName: "testcase").first?.elements(forName: "failure").first
        #expect(failure?.attribute(forName: "type")?.stringValue == "RefusedUnderLabPolicies")
        #expect(failure?.attribute(forName: "message")?.stringValue?.contains("ecr:BatchImportUpstreamImage") == true, "\(failure?.xmlString ?? "none")")
        let probeLog = home.appendingPathComponent("reports/verify-lab/pull-through-cache/02_nginx_image_pull.sh.policy-lab.log")
        #expect(FileManager.default.fileExists(atPath: probeLog.path), "the student's run is logged beside the script's")
    }
}
