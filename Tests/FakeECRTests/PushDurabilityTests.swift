import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Synchronization
import Testing

/// `fake-ecr serve --data-dir` killed with SIGKILL while images are being pushed over the registry API,
/// restarted on the same directory, several rounds: the store opens, and every push that was acknowledged
/// (201 for its manifest) is listed by DescribeImages and pullable, manifest and blobs, digests equal.
@Suite("Registry pushes survive kill -9", .serialized)
struct PushDurabilityTests {
    static let rounds = 5
    static let workers = 6
    static let repositories = ["durable/app-0", "durable/app-1", "durable/app-2"]

    @Test(.enabled(if: BuiltProduct.enabled("fake-ecr"), "fake-ecr is not built (swift build --product fake-ecr)"), .timeLimit(.minutes(3)))
    func acknowledgedPushesSurviveKillNine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-ecr-push-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var acknowledged: [PushedImage] = []
        for round in 1...Self.rounds {
            let process = try FakeECRProcess(arguments: ["--port", "0", "--data-dir", directory.path])
            defer { process.terminate() }
            try await process.start()
            let registry = DurabilityRegistry(base: process.endpoint)
            try await registry.expectPresent(acknowledged, after: "round \(round - 1)")
            try await registry.createRepositories(Self.repositories)
            let password = try await registry.password()

            // Kill at a random moment once pushes are being acknowledged.
            let ledger = PushLedger()
            let pushes = Task { await registry.pushUntilStopped(round: round, workers: Self.workers, repositories: Self.repositories, password: password, into: ledger) }
            let started = await eventually(timeout: 60) { !ledger.outcome.pushed.isEmpty || !ledger.outcome.unexpected.isEmpty }
            let delay = Int.random(in: 0...1200)
            try await Task.sleep(for: .milliseconds(delay))
            process.kill9()
            // Requests to the dead process would wait for their deadline (the client retries refused connections).
            pushes.cancel()
            await pushes.value
            let outcome = ledger.outcome
            #expect(started, "round \(round): no push was acknowledged within 60 s")
            #expect(outcome.unexpected.isEmpty, "round \(round): answers other than 201 before the kill: \(outcome.unexpected.prefix(3))")
            acknowledged += outcome.pushed
        }
        let process = try FakeECRProcess(arguments: ["--port", "0", "--data-dir", directory.path])
        defer { process.terminate() }
        try await process.start()
        let registry = DurabilityRegistry(base: process.endpoint)
        try await registry.expectPresent(acknowledged, after: "the last round")
        #expect(acknowledged.count >= Self.rounds, "acknowledged pushes over \(Self.rounds) rounds: \(acknowledged.count)")
    }
}

/// An image whose manifest PUT was answered 201.
struct PushedImage: Sendable {
    var repository: String
    var tag: String
    var manifest: Data
    var digest: String
    var blobs: [String]
}

/// What the pushers saw before the process died.
struct PushOutcome: Sendable {
    var pushed: [PushedImage] = []
    var unexpected: [String] = []
}

/// The pushers' outcome, shared while they run.
final class PushLedger: Sendable {
    private let state = Mutex(PushOutcome())

    var outcome: PushOutcome { state.withLock { $0 } }
    func record(_ image: PushedImage) { state.withLock { $0.pushed.append(image) } }
    func record(_ refused: DurabilityRegistry.Refused) { state.withLock { $0.unexpected.append(refused.description) } }
}

/// The registry API and the ECR calls of the durability test, against a separate `fake-ecr` process.
struct DurabilityRegistry: Sendable {
    var base: String
    var ecr: ECRCallClient { ECRCallClient(base: base) }

    /// A base layer every image shares (and clients skip uploading once the registry has it).
    static let baseLayer = Data((0..<(256 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })

    func createRepositories(_ names: [String]) async throws {
        for name in names {
            let answer = try await ecr.ecr("CreateRepository", #"{"repositoryName":"\#(name)"}"#)
            #expect(answer.status == 200 || answer.errorType == "RepositoryAlreadyExistsException", "CreateRepository \(name): \(answer.text)")
        }
    }

    func password() async throws -> String {
        let answer = try await ecr.ecr("GetAuthorizationToken", "{}")
        let data = try #require((answer.json["authorizationData"] as? [[String: Any]])?.first, "GetAuthorizationToken: \(answer.text)")
        let token = try #require(data["authorizationToken"] as? String)
        let decoded = String(decoding: try #require(Data(base64Encoded: token)), as: UTF8.self)
        return String(decoded.dropFirst("AWS:".count))
    }

    func send(_ method: String, _ path: String, password: String, headers: [(String, String)] = [], body: Data = Data()) async throws -> HTTPAnswer {
        let authorization = ("Authorization", "Basic " + Data("AWS:\(password)".utf8).base64EncodedString())
        return try await TestFakeECR.send(method, base + path, headers: [authorization] + headers, body: body)
    }

    /// `workers` concurrent pushers, each pushing images until the process stops answering (or the task
    /// is cancelled); every acknowledged push is in `ledger` as soon as its 201 arrives.
    func pushUntilStopped(round: Int, workers: Int, repositories: [String], password: String, into ledger: PushLedger) async {
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for index in 0..<10_000 where !Task.isCancelled {
                        let repository = repositories[(worker + index) % repositories.count]
                        do {
                            switch try await push(repository, tag: "r\(round)-w\(worker)-\(index)", password: password) {
                            case .success(let image): ledger.record(image)
                            case .failure(let refused): ledger.record(refused); return
                            }
                        } catch {
                            return  // the process is gone
                        }
                    }
                }
            }
        }
    }

    struct Refused: Error, CustomStringConvertible { var description: String }

    /// One image as a client pushes it: HEAD the shared layer, monolithic uploads, then the manifest.
    func push(_ repository: String, tag: String, password: String) async throws -> Result<PushedImage, Refused> {
        let config = Data(#"{"architecture":"amd64","os":"linux","tag":"\#(tag)"}"#.utf8)
        let unique = Data((0..<Int.random(in: 1024...65536)).map { _ in UInt8.random(in: 0...255) })
        let baseDigest = sha256(Self.baseLayer)
        let head = try await send("HEAD", "/v2/\(repository)/blobs/\(baseDigest)", password: password)
        var uploads = [config, unique]
        if head.status != 200 { uploads.append(Self.baseLayer) }
        for blob in uploads {
            let answer = try await send("POST", "/v2/\(repository)/blobs/uploads/?digest=\(sha256(blob))", password: password, body: blob)
            guard answer.status == 201 else { return .failure(Refused(description: "blob upload to \(repository): \(answer.status) \(answer.text)")) }
        }
        let manifest = Data(ociManifest(config: (sha256(config), config.count), layers: [(baseDigest, Self.baseLayer.count), (sha256(unique), unique.count)]).utf8)
        let answer = try await send("PUT", "/v2/\(repository)/manifests/\(tag)", password: password, headers: [("Content-Type", ociManifestType)], body: manifest)
        guard answer.status == 201 else { return .failure(Refused(description: "manifest \(repository):\(tag): \(answer.status) \(answer.text)")) }
        let image = PushedImage(
            repository: repository, tag: tag, manifest: manifest, digest: sha256(manifest), blobs: [sha256(config), baseDigest, sha256(unique)])
        return .success(image)
    }

    /// Every image is listed with its digest, and its manifest and blobs are served byte for byte.
    func expectPresent(_ images: [PushedImage], after round: String) async throws {
        let password = try await password()
        for (repository, expected) in Dictionary(grouping: images, by: \.repository) {
            let listed = try await listedTags(repository)
            var checkedBlobs = Set<String>()
            for image in expected {
                #expect(listed[image.tag] == image.digest, "after \(round): \(repository):\(image.tag) is listed as \(listed[image.tag] ?? "missing")")
                let pulled = try await send("GET", "/v2/\(repository)/manifests/\(image.tag)", password: password, headers: [("Accept", ociManifestType)])
                #expect(pulled.status == 200 && pulled.body == image.manifest, "after \(round): manifest \(repository):\(image.tag): \(pulled.status)")
                #expect(pulled.header("Docker-Content-Digest") == image.digest)
                for blob in image.blobs where checkedBlobs.insert(blob).inserted {
                    let answer = try await send("GET", "/v2/\(repository)/blobs/\(blob)", password: password)
                    #expect(answer.status == 200 && sha256(answer.body) == blob, "after \(round): blob \(blob) of \(repository): \(answer.status)")
                }
            }
        }
    }

    /// tag → digest from DescribeImages, every page.
    func listedTags(_ repository: String) async throws -> [String: String] {
        var tags: [String: String] = [:]
        var token: String?
        var pages = 0
        repeat {
            var body: [String: Any] = ["repositoryName": repository, "maxResults": 1000]
            if let token { body["nextToken"] = token }
            let page = try await ecr.ecr("DescribeImages", String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
            #expect(page.status == 200, "DescribeImages \(repository): \(page.text)")
            for detail in page.json["imageDetails"] as? [[String: Any]] ?? [] {
                guard let digest = detail["imageDigest"] as? String else { continue }
                for tag in detail["imageTags"] as? [String] ?? [] { tags[tag] = digest }
            }
            token = page.json["nextToken"] as? String
            pages += 1
        } while token != nil && pages < 100
        return tags
    }
}
