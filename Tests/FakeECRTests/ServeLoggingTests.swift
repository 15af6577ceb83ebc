import Foundation
import Testing

/// `fake-ecr serve`'s log lines: StreamLogHandler's format, with the metadata set on the logger and the
/// message's own (the handler formats them only when a line is written).
@Suite("fake-ecr serve logging")
struct ServeLoggingTests {
    @Test("a refused call's debug line names the request id the answer carries")
    func debugLineCarriesTheRequestId() async throws {
        let process = try FakeECRProcess(arguments: ["--port", "0", "--log-level", "debug"])
        defer { process.terminate() }
        try await process.start()
        let answer = try await ECRCallClient(base: process.endpoint).ecr("DescribeRepositories", #"{"repositoryNames":["no/such"]}"#)
        #expect(answer.status == 400)
        let requestId = try #require(answer.headers.first { $0.key.lowercased() == "x-amzn-requestid" }?.value)
        let line = "debug fake-ecr: request-id=\(requestId) [FakeECR] ecr:DescribeRepositories -> RepositoryNotFoundException"
        var text = ""
        for _ in 0..<100 where !text.contains(line) {
            try await Task.sleep(for: .milliseconds(50))
            text = process.stderrText
        }
        #expect(text.contains(line), "\(text.suffix(2000))")
    }

    @Test("at the default level a served call writes no line")
    func quietByDefault() async throws {
        let process = try FakeECRProcess(arguments: ["--port", "0"])
        defer { process.terminate() }
        try await process.start()
        _ = try await ECRCallClient(base: process.endpoint).ecr("DescribeRepositories", #"{"repositoryNames":["no/such"]}"#)
        try await Task.sleep(for: .milliseconds(200))
        #expect(!process.stderrText.contains("RepositoryNotFoundException"))
    }
}
