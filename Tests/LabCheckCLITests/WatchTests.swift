import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// `labcheck check --watch` without a terminal (the report, then only changes; stopped by a signal;
/// backing off when throttled), and its options. In a real terminal (tmux: a repository
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

    /// Rounds graded so far: each round asks STS once who the account is (the fake counts the calls).
    static func rounds(_ account: TestFakeECR) async -> Int {
        await account.server.requestCounts()["sts:GetCallerIdentity"] ?? 0
    }

    /// Polls the fake until `condition` holds of the rounds graded, or `timeout` passes; whether it held.
    static func waitForRounds(_ account: TestFakeECR, timeout: TimeInterval = 120, _ condition: (Int) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if condition(await rounds(account)) { return true }
            if Date() >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The lines after the first report (it ends with its "Graded with:" line and the warnings after it).
    static func linesAfterReport(_ stdout: String) -> [Substring] {
        guard let graded = stdout.range(of: "Graded with:") else { return [] }
        return stdout[graded.upperBound...].split(separator: "\n").dropFirst().filter { !$0.hasPrefix("!") && !$0.isEmpty }
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("not on a terminal: the first report, then one line per changed step only; SIGINT stops it with the last round's status")
    func watchWithoutATerminalPrintsOnlyChanges() async throws {
        let account = try await TestFakeECR.start()
        let home = try temporaryDirectory()
        var started: LabCheckBinary.Running?
        do {
            try await account.load(stateAt: RepositoryFiles.state("fresh"))
            let watch = try LabCheckBinary.start(
                ["check", "--watch", "--interval", "1s", "--phase", "build", "--lang", "en", "--output", home.appendingPathComponent("out").path],
                environment: Self.environment(for: account, home: home), in: home)
            started = watch
            let reported = await eventually(timeout: 120) { watch.stdout.contains("Graded with:") }
            try #require(reported, "no first report: \(watch.stdout)\n\(watch.stderr)")
            #expect(watch.stdout.hasPrefix("Next step: repo-aws-lbc"), "\(watch.stdout)")
            #expect(watch.stdout.contains("Score: 0/75"), "\(watch.stdout)")
            // Rounds that change nothing print nothing.
            let before = await Self.rounds(account)
            let quiet = await Self.waitForRounds(account) { $0 >= before + 2 }
            try #require(quiet, "watch mode stopped grading: \(watch.stderr)")
            #expect(Self.linesAfterReport(watch.stdout).isEmpty, "\(watch.stdout)")

            // The student creates the nginx repository while it watches.
            let created = try await account.ecr("CreateRepository", #"{"repositoryName":"public.ecr.aws/nginx/nginx"}"#, region: TestFakeECR.region)
            try #require(created.status == 200, "\(created.text)")
            let changed = await eventually(timeout: 120) { watch.stdout.contains("repo-nginx: failed → passed (5/5)") }
            #expect(changed, "no line for repo-nginx: \(watch.stdout)")
            // A few rounds more: nothing is repeated.
            let after = await Self.rounds(account)
            let more = await Self.waitForRounds(account) { $0 >= after + 2 }
            #expect(more, "watch mode stopped grading: \(watch.stderr)")

            watch.signal(SIGINT)
            let (run, timedOut) = try await watch.wait(timeout: 60)
            #expect(!timedOut, "SIGINT must stop watch mode: \(run.stdout)")
            #expect(run.status == 1, "the last round's status (steps still fail): \(run.stderr)")
            let lines = Self.linesAfterReport(run.stdout)
            #expect(lines.count == 3, "\(lines)")
            #expect(lines.contains { $0.hasSuffix(" repo-nginx: failed → passed (5/5)") }, "\(lines)")
            #expect(lines.contains { $0.hasSuffix(" image-nginx: skipped → failed (0/10)") }, "\(lines)")
            #expect(lines.contains { $0.hasSuffix(" Score 5/75 (6.7%)") }, "\(lines)")
            let clock = try Regex(#"^\d\d:\d\d:\d\d "#)
            #expect(lines.allSatisfy { $0.firstMatch(of: clock) != nil }, "each change line starts with the time: \(lines)")
            #expect(Self.count("Next step:", in: run.stdout) == 1, "the report is printed once: \(run.stdout)")
            #expect(Self.count("Score:", in: run.stdout) == 1, "\(run.stdout)")
            #expect(Self.count("repo-nginx: failed → passed", in: run.stdout) == 1, "\(run.stdout)")
            #expect(!run.stdout.contains("\u{1B}"), "no terminal control (cursor, clear screen, colour) when not on a terminal")
            #expect(!run.stdout.contains("q or Ctrl-C"), "no round status line but at full marks: \(run.stdout)")
            #expect(!run.stderr.contains("throttled"), "\(run.stderr)")
        } catch {
            Issue.record(error)
        }
        started?.discard()
        await account.stop()
        try? FileManager.default.removeItem(at: home)
    }

    @Test("throttled: says so, grades less and less often, and never turns a step failed or loses a point; SIGTERM stops it")
    func watchBacksOffWhenThrottled() async throws {
        let account = try await TestFakeECR.start()
        let home = try temporaryDirectory()
        var started: LabCheckBinary.Running?
        do {
            try await account.load(stateAt: RepositoryFiles.state("halfway"))
            var environment = Self.environment(for: account, home: home)
            // One attempt per call: each round meets the throttling at once, so the rounds' spacing is
            // watch mode's own backoff (the SDK-style retries are tested in AWSCoreTests).
            environment["AWS_MAX_ATTEMPTS"] = "1"
            let watch = try LabCheckBinary.start(
                ["check", "--watch", "--interval", "1s", "--phase", "build", "--lang", "en", "--output", home.appendingPathComponent("out").path],
                environment: environment, in: home)
            started = watch
            let reported = await eventually(timeout: 120) { watch.stdout.contains("Graded with:") }
            try #require(reported, "no first report: \(watch.stdout)\n\(watch.stderr)")
            #expect(watch.stdout.contains("Score: 50/75"), "\(watch.stdout)")
            let clean = await Self.rounds(account)
            let graded = await Self.waitForRounds(account) { $0 >= clean + 1 }
            try #require(graded, "watch mode stopped grading: \(watch.stderr)")

            // ECR starts throttling every listing of repositories.
            account.server.setFaults(FaultPlan(rules: [.init(plane: .ecr, operations: ["DescribeRepositories"], fault: .throttle, rate: 1)]))
            let note = "labcheck: throttled: grading less often\n"
            var seen: [Date] = []
            let throttledRounds = await eventually(timeout: 180, interval: .milliseconds(50)) {
                let count = Self.count(note, in: watch.stderr)
                while seen.count < count { seen.append(Date()) }
                return count >= 3
            }
            try #require(throttledRounds, "three throttled rounds, each noted: \(watch.stderr)")
            // Waits of 2, then 4 intervals (then 8), each plus the round's own time: at least half that.
            // (A busy machine only lengthens the gaps; without backoff they would be 1 interval plus the round.)
            let gaps = zip(seen.dropFirst(), seen).map { $0.timeIntervalSince($1) }
            #expect(gaps.count >= 2 && gaps[0] >= 1.0 && gaps[1] >= 2.0, "throttled rounds must be spaced out: \(gaps)")
            let faults = account.server.injectedFaults["ecr:DescribeRepositories:throttle"] ?? 0
            #expect(faults >= 3 && faults <= seen.count + 1, "one throttled call a round: \(faults) for \(seen.count) notes")

            // Throttling ends: the next round is clean again.
            account.server.setFaults(nil)
            let recovered = await eventually(timeout: 120) { watch.stdout.contains("image-cluster-autoscaler: error → failed") }
            #expect(recovered, "a clean round after the throttling: \(watch.stdout)\n\(watch.stderr)")
            let notesThen = Self.count(note, in: watch.stderr)
            let after = await Self.rounds(account)
            let more = await Self.waitForRounds(account) { $0 >= after + 2 }
            #expect(more, "watch mode stopped grading: \(watch.stderr)")
            #expect(Self.count(note, in: watch.stderr) == notesThen, "clean rounds are not throttled: \(watch.stderr)")

            watch.signal(SIGTERM)
            let (run, timedOut) = try await watch.wait(timeout: 60)
            #expect(!timedOut, "SIGTERM must stop watch mode: \(run.stdout)")
            #expect(run.status == 1, "the last (clean) round's status: \(run.stderr)")
            let lines = Self.linesAfterReport(run.stdout)
            // The steps that failed could not be evaluated while throttled (errors, not failures);
            // the steps that passed stayed passed (the ledger keeps them): the score never dropped.
            #expect(lines.contains { $0.hasSuffix(" image-cluster-autoscaler: failed → error (0/10)") }, "\(lines)")
            #expect(!lines.contains { $0.contains("→ failed") && !$0.contains("error → failed") }, "no step fails because of throttling: \(lines)")
            #expect(!lines.contains { $0.contains(": passed → ") }, "no passed step is lost to throttling: \(lines)")
            let scores = lines.filter { $0.contains(" Score ") }
            #expect(!scores.isEmpty && scores.allSatisfy { $0.hasSuffix(" Score 50/75 (66.7%)") }, "\(scores)")
            #expect(!run.stdout.contains("\u{1B}"), "no terminal control when not on a terminal")
        } catch {
            Issue.record(error)
        }
        started?.discard()
        await account.stop()
        try? FileManager.default.removeItem(at: home)
    }
}
