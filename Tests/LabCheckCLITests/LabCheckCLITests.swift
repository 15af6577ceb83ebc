import Checks
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// The `labcheck` executable as users run it: output, reports and the exit codes of DESIGN.md.
@Suite("labcheck CLI", .serialized)
struct LabCheckCLITests {
    static let credentials = ["AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]

    @Test("demo: grades the halfway state, prints the summary, writes the reports, exits 0")
    func demo() async throws {
        let home = try temporaryDirectory()
        let output = home.appendingPathComponent("reports")
        let run = try await LabCheckBinary.run(["demo", "--output", output.path, "--lang", "en"], environment: LabCheckBinary.environment(home: home))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Score: 50/100 (50.0%)"), "\(run.stdout)")
        #expect(run.stdout.contains("tag v1.32.0 not found in registry.k8s.io/autoscaling/cluster-autoscaler"))
        for name in ["junit.xml", "summary.json", "summary.md"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(name).path), "\(name) not written")
        }
        #expect(run.stderr.contains("summary.json"))
        try? FileManager.default.removeItem(at: home)
    }

    @Test("check against a fake: exit 0 when all graded steps pass, 1 when some fail, --pass-score decides")
    func checkExitCodes() async throws {
        let account = try await TestFakeECR.start()
        let home = try temporaryDirectory()
        do {
            try await account.load(stateAt: RepositoryFiles.state("complete"))
            var environment = LabCheckBinary.environment(Self.credentials, home: home)
            environment["AWS_ENDPOINT_URL"] = account.endpoint.absoluteString
            environment["AWS_REGION"] = TestFakeECR.region
            let output = home.appendingPathComponent("out").path
            let build = try await LabCheckBinary.run(["check", "--phase", "build", "--output", output], environment: environment)
            #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
            #expect(build.stdout.contains("75/75"))
            let all = try await LabCheckBinary.run(["check", "--output", output, "--format", "json"], environment: environment)
            #expect(all.status == 1)
            let summary = try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any]
            let score = summary?["score"] as? [String: Any]
            #expect(score?["earned"] as? Int == 75)
            #expect(score?["total"] as? Int == 100)
            let enough = try await LabCheckBinary.run(["check", "--output", output, "--pass-score", "70", "--format", "junit"], environment: environment)
            #expect(enough.status == 0)
            #expect(enough.stdout.contains("<testsuites"))
            // The secret never shows in anything written.
            for file in try FileManager.default.contentsOfDirectory(atPath: output) {
                let text = try String(contentsOfFile: output + "/" + file, encoding: .utf8)
                #expect(!text.contains(Self.credentials["AWS_SECRET_ACCESS_KEY"] ?? "?"), "\(file)")
            }
        } catch {
            Issue.record(error)
        }
        await account.stop()
        try? FileManager.default.removeItem(at: home)
    }

    @Test("a bad spec file exits 2 naming file, line and problem")
    func badSpec() async throws {
        let home = try temporaryDirectory()
        let spec = home.appendingPathComponent("bad.yaml")
        try "schemaVersion: 1\nlab: {id: x, title: X}\nsteps:\n  - {id: a, phase: build, points: 1, title: A, check: {kind: nope}}\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let run = try await LabCheckBinary.run(["check", "--checks", spec.path, "--region", "us-east-1"],
                                               environment: LabCheckBinary.environment(Self.credentials, home: home))
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad.yaml:4:"), "\(run.stderr)")
        #expect(run.stderr.contains("unknown check kind 'nope'"))
        let missing = try await LabCheckBinary.run(["list", "--checks", "/nonexistent.yaml"], environment: LabCheckBinary.environment(home: home))
        #expect(missing.status == 2)
        let usage = try await LabCheckBinary.run(["check", "--phase", "sometimes"], environment: LabCheckBinary.environment(home: home))
        #expect(usage.status == 2)
        try? FileManager.default.removeItem(at: home)
    }

    @Test("an unreachable endpoint exits 3 and says which endpoint")
    func unreachable() async throws {
        let home = try temporaryDirectory()
        let run = try await LabCheckBinary.run(
            ["check", "--endpoint-url", "http://127.0.0.1:1", "--region", "us-east-1", "--output", home.path, "--connect-timeout", "1"],
            environment: LabCheckBinary.environment(Self.credentials, home: home))
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect((run.stdout + run.stderr).contains("127.0.0.1:1"))
        try? FileManager.default.removeItem(at: home)
    }

    @Test("no credentials anywhere exits 3 and lists the sources tried; an unknown profile exits 2")
    func noCredentials() async throws {
        let home = try temporaryDirectory()
        let run = try await LabCheckBinary.run(["check", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:1", "--output", home.path],
                                               environment: LabCheckBinary.environment(home: home))
        #expect(run.status == 3)
        #expect(run.stderr.contains("environment"), "\(run.stderr)")
        let profile = try await LabCheckBinary.run(["check", "--profile", "nobody", "--region", "us-east-1", "--output", home.path],
                                                   environment: LabCheckBinary.environment(home: home))
        #expect(profile.status == 2, "\(profile.stderr)")
        #expect(profile.stderr.contains("nobody"))
        try? FileManager.default.removeItem(at: home)
    }

    @Test("list shows the ten graded steps and the pre-flight")
    func list() async throws {
        let home = try temporaryDirectory()
        let run = try await LabCheckBinary.run(["list", "--lang", "en"], environment: LabCheckBinary.environment(home: home))
        #expect(run.status == 0)
        #expect(run.stdout.contains("100 points"))
        #expect(run.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }.count == 11)
        try? FileManager.default.removeItem(at: home)
    }
}
