import FakeECR
import Foundation
import LabCheckTestSupport
import Testing

/// The real AWS CLI and boto3 against the fake (skipped when they are missing, unless
/// LABCHECK_REQUIRE_TOOLS=1).
@Suite("Real AWS CLI and boto3", .serialized)
struct CLIScriptTests {
    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs a script to its end (scripts of many AWS CLI calls take minutes on a busy machine).
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let result = try await BoundedProcess.run(arguments, environment: environment, timeout: 900)
        return Run(status: result.status, output: result.output + result.errors + (result.timedOut ? "\n(timed out after 900 s)" : ""))
    }

    static var scripts: URL { FakeECRProcess.packageRoot.appendingPathComponent("Tests/cli") }

    @Test(.enabled(if: ExternalTool.available("aws") || ExternalTool.required, "aws CLI not installed"),
          .enabled(if: BuiltProduct.enabled("fake-ecr"), "fake-ecr is not built (swift build --product fake-ecr)"))
    func awsCLIControlPlaneScript() async throws {
        try ExternalTool.require("aws")
        let binary = try BuiltProduct.require("fake-ecr")
        let result = try await Self.run(["bash", Self.scripts.appendingPathComponent("aws-cli-control-plane.sh").path],
                                        environment: ["FAKE_ECR_BIN": binary.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(" passed, 0 failed"), "\(result.output)")
    }

    @Test(.enabled(if: ExternalTool.available("boto3") || ExternalTool.required, "boto3 not installed"),
          .enabled(if: BuiltProduct.enabled("fake-ecr"), "fake-ecr is not built (swift build --product fake-ecr)"))
    func boto3PagingScript() async throws {
        try ExternalTool.require("boto3")
        let binary = try BuiltProduct.require("fake-ecr")
        let result = try await Self.run(["python3", Self.scripts.appendingPathComponent("boto3_paging.py").path],
                                        environment: ["FAKE_ECR_BIN": binary.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("10 passed, 0 failed"), "\(result.output)")
    }

    /// `--auth sigv4`: the AWS CLI gets through with the right secret, InvalidSignatureException
    /// with a wrong one, UnrecognizedClientException with an unknown key.
    @Test(.enabled(if: ExternalTool.available("aws") || ExternalTool.required, "aws CLI not installed"))
    func awsCLIWithSigV4() async throws {
        try ExternalTool.require("aws")
        let accounts = AccountsFile(accounts: [
            .init(accountId: "111111111111", accessKeyId: "AKIASTUDENT000000001", secretAccessKey: "student-secret/abc+def", userName: "student01"),
        ])
        var configuration = FakeECRConfiguration(accounts: accounts, authMode: .sigv4)
        configuration.logger.logLevel = .warning
        let server = try await FakeECRServer.start(configuration)
        do {
            try await Self.sigv4Checks(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func sigv4Checks(_ server: RunningFakeECR) async throws {
        func aws(_ key: String, _ secret: String, _ arguments: [String]) async throws -> Run {
            try await Self.run(["aws"] + arguments, environment: [
                "AWS_ENDPOINT_URL": server.endpoint.absoluteString, "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
                "AWS_DEFAULT_REGION": "ap-northeast-1", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1",
            ])
        }
        let created = try await aws("AKIASTUDENT000000001", "student-secret/abc+def", [
            "ecr", "create-repository", "--repository-name", "public.ecr.aws/nginx/nginx", "--query", "repository.repositoryArn", "--output", "text",
        ])
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output.trimmingCharacters(in: .whitespacesAndNewlines) == "arn:aws:ecr:ap-northeast-1:111111111111:repository/public.ecr.aws/nginx/nginx")
        let identity = try await aws("AKIASTUDENT000000001", "student-secret/abc+def", ["sts", "get-caller-identity", "--query", "Arn", "--output", "text"])
        #expect(identity.output.trimmingCharacters(in: .whitespacesAndNewlines) == "arn:aws:iam::111111111111:user/student01")

        let wrong = try await aws("AKIASTUDENT000000001", "not-the-secret", ["ecr", "describe-repositories"])
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("(InvalidSignatureException)"), "\(wrong.output)")
        #expect(!wrong.output.contains("student-secret"))
        let unknown = try await aws("AKIAUNKNOWN000000001", "whatever", ["ecr", "describe-repositories"])
        #expect(unknown.output.contains("(UnrecognizedClientException)"), "\(unknown.output)")
        let stsWrong = try await aws("AKIASTUDENT000000001", "not-the-secret", ["sts", "get-caller-identity"])
        #expect(stsWrong.output.contains("(SignatureDoesNotMatch)"), "\(stsWrong.output)")
    }
}
