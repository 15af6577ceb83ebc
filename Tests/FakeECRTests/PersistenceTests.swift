import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

@Suite("SQLite persistence", .serialized)
struct PersistenceTests {
    /// Writes 1,000 repositories to a separate `fake-ecr serve --data-dir` process, keeps writing,
    /// kills it with SIGKILL mid-load, restarts it on the same directory: every acknowledged
    /// repository is still there.
    @Test(.enabled(if: BuiltProduct.enabled("fake-ecr"), "fake-ecr is not built (swift build --product fake-ecr)"))
    func killNineLosesNoAcknowledgedWrite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-ecr-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try FakeECRProcess(arguments: ["--port", "0", "--data-dir", directory.path])
        try await first.start()
        defer { first.terminate() }
        let client = ECRCallClient(base: first.endpoint)

        // 1,000 acknowledged creates, 8 in flight at a time.
        let acknowledged = try await withThrowingTaskGroup(of: String?.self) { group in
            var names: [String] = []
            for index in 0..<1000 {
                if index >= 8, let name = try await group.next() { if let name { names.append(name) } }
                group.addTask {
                    let name = String(format: "persist/repo-%04d", index)
                    let answer = try await client.ecr("CreateRepository", #"{"repositoryName":"\#(name)"}"#)
                    return answer.status == 200 ? name : nil
                }
            }
            for try await name in group { if let name { names.append(name) } }
            return names
        }
        #expect(acknowledged.count == 1000)

        // More writes in flight while the process is killed.
        let inFlight = Task {
            var extra: [String] = []
            for index in 0..<100_000 {
                let name = "persist/extra-\(index)"
                guard let answer = try? await client.ecr("CreateRepository", #"{"repositoryName":"\#(name)"}"#), answer.status == 200 else { break }
                extra.append(name)
            }
            return extra
        }
        try await Task.sleep(for: .milliseconds(300))
        first.kill9()
        let extra = await inFlight.value

        let second = try FakeECRProcess(arguments: ["--port", "0", "--data-dir", directory.path])
        try await second.start()
        defer { second.terminate() }
        let reopened = ECRCallClient(base: second.endpoint)
        var names = Set<String>()
        var token: String?
        var pages = 0
        repeat {
            var body: [String: Any] = ["maxResults": 1000]
            if let token { body["nextToken"] = token }
            let page = try await reopened.ecr("DescribeRepositories", String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
            #expect(page.status == 200)
            for repository in page.json["repositories"] as? [[String: Any]] ?? [] {
                if let name = repository["repositoryName"] as? String { names.insert(name) }
            }
            token = page.json["nextToken"] as? String
            pages += 1
        } while token != nil && pages < 1000
        #expect(Set(acknowledged).isSubset(of: names))
        #expect(Set(extra).isSubset(of: names), "acknowledged during the kill: \(extra.count)")
        #expect(names.count >= 1000 + extra.count)
    }
}

/// ECR calls against any base URL (for separate processes).
struct ECRCallClient: Sendable {
    var base: String

    func ecr(_ operation: String, _ body: String) async throws -> HTTPAnswer {
        try await TestFakeECR.send("POST", base + "/", headers: [
            ("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.\(operation)"),
            ("Content-Type", "application/x-amz-json-1.1"),
        ], body: Data(body.utf8))
    }
}
