import ECRWire
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Synchronization
import Testing

/// `fake-ecr serve --data-dir` killed with SIGKILL while ECR calls are answered, restarted on the same
/// directory: every call that was answered has its record in the trail (the record is committed
/// before the answer is sent).
@Suite("Trail records survive kill -9", .serialized)
struct TrailDurabilityTests {
    static let rounds = 3
    static let workers = 4

    static func ecr(_ base: String, _ operation: String, _ body: String) async throws -> HTTPAnswer {
        try await TestFakeECR.send("POST", base + "/", headers: [
            ("X-Amz-Target", "\(ECRClient.targetPrefix).\(operation)"), ("Content-Type", "application/x-amz-json-1.1"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=00"),
        ], body: Data(body.utf8))
    }

    /// Every request id of the trail, through LookupEvents.
    static func trailRequestIDs(_ base: String) async throws -> Set<String> {
        var ids = Set<String>()
        var token: String?
        repeat {
            var body: [String: Any] = ["MaxResults": 50]
            if let token { body["NextToken"] = token }
            let answer = try await TestFakeECR.send("POST", base + "/", headers: [
                ("X-Amz-Target", CloudTrailOperation.lookupEvents.target), ("Content-Type", "application/x-amz-json-1.1"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=00"),
            ], body: try JSONSerialization.data(withJSONObject: body))
            try #require(answer.status == 200, "LookupEvents: \(answer.text)")
            for event in TrailAnswers.events(answer) { ids.insert(try TrailAnswers.record(event).requestID) }
            token = answer.json["NextToken"] as? String
        } while token != nil
        return ids
    }

    @Test(.enabled(if: BuiltProduct.enabled("fake-ecr"), "fake-ecr is not built (swift build --product fake-ecr)"), .timeLimit(.minutes(3)))
    func answeredCallsAreInTheTrailAfterKillNine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-ecr-trail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["--port", "0", "--data-dir", directory.path, "--trail-lookup-rate", "0"]
        var answered = Set<String>()
        for round in 1...Self.rounds {
            let process = try FakeECRProcess(arguments: arguments)
            defer { process.terminate() }
            try await process.start()
            let base = process.endpoint
            let present = try await Self.trailRequestIDs(base)
            #expect(answered.isSubset(of: present), "round \(round): \(answered.subtracting(present).count) answered calls have no record")
            let ledger = AnsweredRequests()
            let calls = Task {
                await withTaskGroup(of: Void.self) { group in
                    for worker in 0..<Self.workers {
                        group.addTask {
                            var index = 0
                            while !Task.isCancelled {
                                index += 1
                                let name = "durable/r\(round)-w\(worker)-\(index)"
                                guard let answer = try? await Self.ecr(base, "CreateRepository", #"{"repositoryName":"\#(name)"}"#) else { return }
                                if answer.status == 200, let id = answer.header("x-amzn-RequestId") { ledger.insert(id) }
                            }
                        }
                    }
                }
            }
            _ = await eventually(timeout: 60) { !ledger.ids.isEmpty }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...800)))
            process.kill9()
            calls.cancel()
            await calls.value
            let acknowledged = ledger.ids
            #expect(!acknowledged.isEmpty, "round \(round): no call was answered")
            answered.formUnion(acknowledged)
        }
        let process = try FakeECRProcess(arguments: arguments)
        defer { process.terminate() }
        try await process.start()
        let present = try await Self.trailRequestIDs(process.endpoint)
        #expect(answered.isSubset(of: present), "\(answered.subtracting(present).count) of \(answered.count) answered calls have no record")
    }
}

/// Request ids of the calls answered 200, shared by the callers.
final class AnsweredRequests: Sendable {
    private let state = Mutex(Set<String>())
    var ids: Set<String> { state.withLock { $0 } }
    func insert(_ id: String) { _ = state.withLock { $0.insert(id) } }
}
