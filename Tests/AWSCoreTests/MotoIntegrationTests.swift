import AsyncHTTPClient
import AWSCore
import ECRWire
import Foundation
import LabCheckTestSupport
import Testing

/// Our client against moto_server (a third-party ECR mock) on loopback: repositories created with the
/// real AWS CLI are listed and described by our client.
@Suite("moto_server integration", .serialized)
struct MotoIntegrationTests {
    static let environmentCredentials = [
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_DEFAULT_REGION": "ap-northeast-1", "AWS_PAGER": "",
    ]

    @Test("aws CLI creates repositories in moto; our client lists and describes them",
          .enabled(if: ExternalTool.enabled("moto_server") && ExternalTool.enabled("aws"), "moto_server or aws CLI not installed (pip install 'moto[server]' awscli)"))
    func listAndDescribe() async throws {
        let moto = try ExternalTool.require("moto_server")
        let aws = try ExternalTool.require("aws")
        let port = try freeLoopbackPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: moto)
        server.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // moto_server (werkzeug) ignores SIGTERM; SIGKILL ends it.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let endpoint = try #require(URL(string: "http://127.0.0.1:\(port)"))
        try await waitUntilListening(endpoint)

        var environment = ProcessInfo.processInfo.environment.merging(Self.environmentCredentials) { _, new in new }
        environment["AWS_ENDPOINT_URL"] = endpoint.absoluteString
        environment["AWS_CONFIG_FILE"] = "/dev/null"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        let names = ["public.ecr.aws/eks/aws-load-balancer-controller", "registry.k8s.io/autoscaling/cluster-autoscaler", "public.ecr.aws/nginx/nginx"]
        for name in names {
            let result = try await BoundedProcess.run([aws, "ecr", "create-repository", "--repository-name", name], environment: environment)
            #expect(result.status == 0, "aws ecr create-repository \(name): \(result.errors)")
        }

        let http = AWSClient.makeHTTPClient()
        let credentials = Credentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let client = AWSClient(httpClient: http, credentialProvider: StaticCredentialProvider(credentials), retryPolicy: .none)
        let ecr = ECRClient(client: client, endpoint: endpoint, region: "ap-northeast-1")
        do {
            let all = try await ecr.allRepositories()
            #expect(Set(all.compactMap(\.repositoryName)) == Set(names))
            let described = try await ecr.describeRepositories(.init(repositoryNames: ["public.ecr.aws/nginx/nginx"]))
            let nginx = try #require(described.repositories?.first)
            #expect(nginx.repositoryName == "public.ecr.aws/nginx/nginx")
            #expect(nginx.repositoryArn?.hasSuffix(":repository/public.ecr.aws/nginx/nginx") == true)
            #expect(nginx.createdAt != nil)
            do {
                _ = try await ecr.describeRepositories(.init(repositoryNames: ["does-not-exist"]))
                Issue.record("expected RepositoryNotFoundException")
            } catch let error as AWSServiceError {
                #expect(error.code == "RepositoryNotFoundException")
            }
            let images = try await ecr.allImages(repositoryName: "public.ecr.aws/nginx/nginx")
            #expect(images.isEmpty)
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
    }

    /// Polls moto's own API over our HTTP client until it answers (it takes a moment to start).
    func waitUntilListening(_ endpoint: URL) async throws {
        let http = AWSClient.makeHTTPClient(timeouts: AWSTimeouts(connect: 1, request: 2))
        let deadline = Date().addingTimeInterval(30)
        var up = false
        while !up, Date() < deadline {
            let request = HTTPClientRequest(url: endpoint.appendingPathComponent("moto-api/").absoluteString)
            if let response = try? await http.execute(request, timeout: .seconds(2)), response.status == .ok {
                up = true
            } else {
                try await Task.sleep(nanoseconds: 200_000_000)
            }
        }
        try await http.shutdown()
        if !up { throw ExternalTool.Missing(name: "a listening moto_server at \(endpoint)") }
    }
}
