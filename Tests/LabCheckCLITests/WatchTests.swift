import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// `labcheck check --watch` without a terminal, and its options. In a real terminal (tmux: a repository
/// created with the AWS CLI while it runs shows as newly passed; `q` stops it): scripts/test-watch.sh.
@Suite("labcheck check --watch", .serialized)
struct WatchTests {
    /// The environment of a student whose account is the fake `account`.
    static func environment(for account: TestFakeECR, home: URL) -> [String: String] {
        var environment = LabCheckBinary.environment(LabCheckCLITests.credentials, home: home)
        environment["AWS_ENDPOINT_URL"] = account.endpoint.absoluteString
        environment["AWS_REGION"] = TestFakeECR.region
        environment["AWS_DEFAULT_REGION"] = TestFakeECR.region
        return environment
    }

    @Test("not on a terminal: the report once, and it stops by itself at full marks")
    func watchWithoutATerminalStopsAtFullMarks() async throws {
        let account = try await TestFakeECR.start()
        let home = try temporaryDirectory()
        do {
            try await account.load(stateAt: RepositoryFiles.state("complete"))
            let run = try await LabCheckBinary.run(
                ["check", "--watch", "--interval", "1s", "--phase", "build", "--lang", "en", "--output", home.appendingPathComponent("out").path],
                environment: Self.environment(for: account, home: home), in: home)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("Every step passed"), "\(run.stdout)")
            #expect(run.stdout.hasSuffix("Full marks: watching stops (round 1)\n"), "\(run.stdout)")
            #expect(!run.stdout.contains("\u{1B}["), "no screen control when not on a terminal")
        } catch {
            Issue.record(error)
        }
        await account.stop()
        try? FileManager.default.removeItem(at: home)
    }

    @Test("--interval is read with units, and only with --watch")
    func intervalOption() async throws {
        let home = try temporaryDirectory()
        let environment = LabCheckBinary.environment(home: home)
        let bad = try await LabCheckBinary.run(["check", "--watch", "--interval", "soon"], environment: environment, in: home)
        #expect(bad.status == 2, "\(bad.stderr)")
        #expect(bad.stderr.contains("--interval"), "\(bad.stderr)")
        let alone = try await LabCheckBinary.run(["check", "--interval", "5s"], environment: environment, in: home)
        #expect(alone.status == 2)
        #expect(alone.stderr.contains("--interval is for --watch"), "\(alone.stderr)")
        try? FileManager.default.removeItem(at: home)
    }
}
