import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The registry with real clients: skopeo copies the fixture images in and out, a pull through
/// the cache from a `docker-registry` upstream, and podman login/pull/tag/push.
@Suite("Registry with skopeo, docker-registry and podman", .serialized)
struct RegistryClientToolTests {
    static let fixtures: [(layout: URL, ref: String, repository: String, key: String)] = [
        (RegistryFixtures.publicECR, "eks/aws-load-balancer-controller:v2.9.2", "public.ecr.aws/eks/aws-load-balancer-controller", "public.ecr.aws/eks/aws-load-balancer-controller:v2.9.2"),
        (RegistryFixtures.k8s, "autoscaling/cluster-autoscaler:v1.32.0", "registry.k8s.io/autoscaling/cluster-autoscaler", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.0"),
        (RegistryFixtures.publicECR, "nginx/nginx:1.27", "public.ecr.aws/nginx/nginx", "public.ecr.aws/nginx/nginx:1.27"),
    ]

    static func skopeo(_ arguments: [String]) async throws -> BoundedProcess.Result {
        try await BoundedProcess.run(["skopeo", "--insecure-policy"] + arguments, timeout: 120)
    }

    @Test(.enabled(if: ExternalTool.available("skopeo") || ExternalTool.required, "skopeo is not installed (apt-get install skopeo)"))
    func skopeoCopiesTheFixturesInAndOut() async throws {
        try ExternalTool.require("skopeo")
        let digests = try RegistryFixtures.digests()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("skopeo-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let password = try await RegistryClient.password(fake)
            let host = "127.0.0.1:\(fake.server.port)"
            for fixture in Self.fixtures {
                let expected = try #require(digests[fixture.key])
                _ = try await fake.ecr("CreateRepository", object: ["repositoryName": fixture.repository])
                let tag = String(fixture.ref.split(separator: ":").last ?? "")
                let destination = "docker://\(host)/\(fixture.repository):\(tag)"
                let pushed = try await Self.skopeo([
                    "copy", "--all", "--dest-creds", "AWS:\(password)", "--dest-tls-verify=false", "oci:\(fixture.layout.path):\(fixture.ref)", destination,
                ])
                #expect(pushed.status == 0, "skopeo copy in: \(pushed.summary)")
                let raw = try await Self.skopeo(["inspect", "--raw", "--creds", "AWS:\(password)", "--tls-verify=false", destination])
                #expect(raw.status == 0, "skopeo inspect: \(raw.summary)")
                #expect(sha256(Data(raw.output.utf8)) == expected, "digest of \(fixture.key) in the fake")

                let layout = output.appendingPathComponent(fixture.repository.replacingOccurrences(of: "/", with: "_"))
                let pulled = try await Self.skopeo([
                    "copy", "--all", "--src-creds", "AWS:\(password)", "--src-tls-verify=false", destination, "oci:\(layout.path):\(tag)",
                ])
                #expect(pulled.status == 0, "skopeo copy out: \(pulled.summary)")
                let index = try JSONSerialization.jsonObject(with: Data(contentsOf: layout.appendingPathComponent("index.json"))) as? [String: Any]
                let copied = (index?["manifests"] as? [[String: Any]])?.first?["digest"] as? String
                #expect(copied == expected, "digest of \(fixture.key) copied back out")

                let described = try await fake.ecr("DescribeImages", object: ["repositoryName": fixture.repository, "imageIds": [["imageTag": tag]]])
                let detail = (described.json["imageDetails"] as? [[String: Any]])?.first
                #expect(detail?["imageDigest"] as? String == expected, "DescribeImages: \(described.text)")
            }
            // A wrong password is refused.
            let refused = try await Self.skopeo(["inspect", "--raw", "--creds", "AWS:wrong.password", "--tls-verify=false", "docker://\(host)/public.ecr.aws/nginx/nginx:1.27"])
            #expect(refused.status != 0)
            #expect(refused.errors.lowercased().contains("unauthorized"), "\(refused.summary)")
            #expect(!refused.errors.contains(password))
        }
    }

    @Test(.enabled(
        if: (ExternalTool.available("skopeo") && ExternalTool.available("docker-registry")) || ExternalTool.required,
        "skopeo and docker-registry are not installed (apt-get install skopeo docker-registry)"))
    func pullThroughTheCacheFromARegistryUpstream() async throws {
        try ExternalTool.require("skopeo")
        try ExternalTool.require("docker-registry")
        let upstream = try LocalDistributionRegistry.start()
        defer { upstream.stop() }
        let seeded = try await Self.skopeo([
            "copy", "--all", "--dest-tls-verify=false", "oci:\(RegistryFixtures.publicECR.path):nginx/nginx:1.27", "docker://\(upstream.host)/nginx/nginx:1.27",
        ])
        try #require(seeded.status == 0, "seeding docker-registry: \(seeded.summary)")
        let expected = try #require(try RegistryFixtures.digests()["public.ecr.aws/nginx/nginx:1.27"])
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreatePullThroughCacheRule", #"{"upstreamRegistryUrl":"public.ecr.aws","ecrRepositoryPrefix":"public-ecr-9641173"}"#)
            let upstreamURL = try #require(URL(string: "http://\(upstream.host)"))
            await fake.server.setUpstream("public.ecr.aws", .registry(upstreamURL))
            let password = try await RegistryClient.password(fake)
            let image = "docker://127.0.0.1:\(fake.server.port)/public-ecr-9641173/nginx/nginx:1.27"
            let raw = try await Self.skopeo(["inspect", "--raw", "--creds", "AWS:\(password)", "--tls-verify=false", image])
            #expect(raw.status == 0, "\(raw.summary)")
            #expect(sha256(Data(raw.output.utf8)) == expected)
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("ptc-out-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: output) }
            let pulled = try await Self.skopeo(["copy", "--all", "--src-creds", "AWS:\(password)", "--src-tls-verify=false", image, "oci:\(output.path):1.27"])
            #expect(pulled.status == 0, "\(pulled.summary)")
            let described = try await fake.ecr("DescribeImages", object: ["repositoryName": "public-ecr-9641173/nginx/nginx", "imageIds": [["imageTag": "1.27"]]])
            #expect((described.json["imageDetails"] as? [[String: Any]])?.first?["imageDigest"] as? String == expected, "\(described.text)")
            let missing = try await Self.skopeo(["inspect", "--raw", "--creds", "AWS:\(password)", "--tls-verify=false", "docker://127.0.0.1:\(fake.server.port)/public-ecr-9641173/nginx/nginx:0.0"])
            #expect(missing.status != 0)
            #expect(missing.errors.contains("manifest unknown"), "\(missing.summary)")
        }
    }

    @Test(.enabled(if: ExternalTool.available("podman") || ExternalTool.required, "podman is not installed (apt-get install podman)"))
    func podmanLoginPullTagPush() async throws {
        try ExternalTool.require("podman")
        await ToolLock.podman.acquire()
        defer { ToolLock.podman.release() }
        let sandbox = try PodmanSandbox()
        defer { sandbox.remove() }
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            let host = "127.0.0.1:\(fake.server.port)"
            _ = try await fake.ecr("CreatePullThroughCacheRule", #"{"upstreamRegistryUrl":"public.ecr.aws","ecrRepositoryPrefix":"public-ecr-9641173"}"#)
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"public.ecr.aws/nginx/nginx"}"#)
            await fake.server.setUpstream("public.ecr.aws", .ociLayout(RegistryFixtures.publicECR))
            let password = try await RegistryClient.password(fake)

            let wrong = try await sandbox.login(host, password: "wrong.password")
            #expect(wrong.status != 0, "\(wrong.summary)")
            let login = try await sandbox.login(host, password: password)
            try #require(login.status == 0, "podman login: \(login.summary)")
            let cached = "\(host)/public-ecr-9641173/nginx/nginx:1.27"
            let pull = try await sandbox.run(["pull", "--tls-verify=false", cached])
            try #require(pull.status == 0, "podman pull: \(pull.summary)")
            let target = "\(host)/public.ecr.aws/nginx/nginx:1.27"
            let tag = try await sandbox.run(["tag", cached, target])
            try #require(tag.status == 0, "podman tag: \(tag.summary)")
            let push = try await sandbox.run(["push", "--tls-verify=false", target])
            #expect(push.status == 0, "podman push: \(push.summary)")

            let cache = try await fake.ecr("DescribeImages", object: ["repositoryName": "public-ecr-9641173/nginx/nginx", "imageIds": [["imageTag": "1.27"]]])
            #expect((cache.json["imageDetails"] as? [Any])?.count == 1, "\(cache.text)")
            let pushed = try await fake.ecr("DescribeImages", object: ["repositoryName": "public.ecr.aws/nginx/nginx", "imageIds": [["imageTag": "1.27"]]])
            #expect((pushed.json["imageDetails"] as? [Any])?.count == 1, "\(pushed.text)")
        }
    }
}

/// A `docker-registry` (CNCF distribution) process on a free loopback port, with storage in a temp directory.
final class LocalDistributionRegistry: @unchecked Sendable {
    let process = Process()
    let directory: URL
    let host: String

    private init(directory: URL, host: String) {
        self.directory = directory
        self.host = host
    }

    static func start() throws -> LocalDistributionRegistry {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docker-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        let config = """
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: \(directory.appendingPathComponent("data").path)
            http:
              addr: 127.0.0.1:\(port)
            """
        let configURL = directory.appendingPathComponent("config.yml")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        let registry = LocalDistributionRegistry(directory: directory, host: "127.0.0.1:\(port)")
        registry.process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        registry.process.arguments = ["docker-registry", "serve", configURL.path]
        registry.process.standardOutput = FileHandle.nullDevice
        registry.process.standardError = try FileHandle(forWritingTo: {
            let log = directory.appendingPathComponent("registry.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            return log
        }())
        try registry.process.run()
        // Wait (bounded) until it answers /v2/.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if Self.answers(port: port) { return registry }
            guard registry.process.isRunning else { break }
            usleep(200_000)
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("registry.log"), encoding: .utf8)) ?? ""
        registry.stop()
        throw FakeECRProcess.Failure(description: "docker-registry did not start on 127.0.0.1:\(port) within 20 s: \(log.suffix(2000))")
    }

    /// Whether something accepts TCP connections on the port.
    static func answers(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return connected == 0
    }

    /// SIGTERM, then SIGKILL after 5 s; removes the storage.
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
