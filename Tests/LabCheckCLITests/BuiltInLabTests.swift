import BuiltInLab
import Checks
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// The lab inside the binary: the embedded copies are the repository's files, and `labcheck` grades
/// and demos from a folder that has none of them.
@Suite("labcheck: the built-in lab", .serialized)
struct BuiltInLabTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: RepositoryFiles.root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("the built-in spec, demo state and pins are the repository's files (else run scripts/embed-lab.py)")
    func embeddedCopiesAreCurrent() throws {
        #expect(BuiltInLab.specText == (try Self.text("checks/ecr-lab.yaml")), "checks/ecr-lab.yaml changed: run scripts/embed-lab.py")
        #expect(BuiltInLab.demoStateText == (try Self.text("fixtures/states/halfway.json")), "halfway.json changed: run scripts/embed-lab.py")
        #expect(BuiltInLab.demoPinsText == (try Self.text("fixtures/upstream/ecr-lab.pins.json")), "the fixture pins changed: run scripts/embed-lab.py")
    }

    static var fileDigest: String { LabSpec.digest(ofText: (try? text("checks/ecr-lab.yaml")) ?? "") }

    @Test("--version names the version and the built-in spec's id and digest")
    func version() async throws {
        let home = try temporaryDirectory()
        let run = try await LabCheckBinary.run(["--version"], environment: LabCheckBinary.environment(home: home), in: home)
        #expect(run.status == 0)
        #expect(run.stdout == "labcheck \(LabCheckVersion.current)\nbuilt-in spec: ecr-lab \(Self.fileDigest)\n", "\(run.stdout)")
        try? FileManager.default.removeItem(at: home)
    }

    @Test("from an empty folder, check grades an account with no --checks and records the spec's digest")
    func checkWithoutChecksOutsideTheCheckout() async throws {
        let account = try await TestFakeECR.start()
        let home = try temporaryDirectory()
        do {
            try await account.load(stateAt: RepositoryFiles.state("complete"))
            let environment = WatchTests.environment(for: account, home: home)
            let run = try await LabCheckBinary.run(["check", "--phase", "build", "--format", "json"], environment: environment, in: home)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!run.stderr.contains("differs"), "\(run.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            #expect((summary["score"] as? [String: Any])?["earned"] as? Int == 75)
            #expect((summary["lab"] as? [String: Any])?["digest"] as? String == Self.fileDigest)
            #expect(summary["labcheckVersion"] as? String == LabCheckVersion.current)
            // The reports went to ./reports of that folder.
            let junit = try String(contentsOf: home.appendingPathComponent("reports/junit.xml"), encoding: .utf8)
            #expect(junit.contains("<property name=\"lab.digest\" value=\"\(Self.fileDigest)\">"))
        } catch {
            Issue.record(error)
        }
        await account.stop()
        try? FileManager.default.removeItem(at: home)
    }

    @Test("a different checks/ecr-lab.yaml in the working folder is named, and not used without --checks")
    func localSpecIsNotSilentlyPreferred() async throws {
        let home = try temporaryDirectory()
        try FileManager.default.createDirectory(at: home.appendingPathComponent("checks"), withIntermediateDirectories: true)
        let local = try Self.text("checks/ecr-lab.yaml").replacingOccurrences(of: "points: 5", with: "points: 6")
        try Data(local.utf8).write(to: home.appendingPathComponent("checks/ecr-lab.yaml"))
        let environment = LabCheckBinary.environment(home: home)
        let builtIn = try await LabCheckBinary.run(["list", "--lang", "en"], environment: environment, in: home)
        #expect(builtIn.status == 0)
        #expect(builtIn.stdout.contains("100 points"), "\(builtIn.stdout)")
        #expect(builtIn.stderr.contains("grading with the built-in spec (ecr-lab \(Self.fileDigest)); ./checks/ecr-lab.yaml differs from it"), "\(builtIn.stderr)")
        #expect(builtIn.stderr.contains("--checks checks/ecr-lab.yaml"))
        let chosen = try await LabCheckBinary.run(["list", "--lang", "en", "--checks", "checks/ecr-lab.yaml"], environment: environment, in: home)
        #expect(chosen.status == 0)
        #expect(!chosen.stdout.contains("100 points"), "\(chosen.stdout)")
        #expect(chosen.stderr.isEmpty, "\(chosen.stderr)")
        try? FileManager.default.removeItem(at: home)
    }

    @Test("demo runs from an empty folder on the built-in state and pins")
    func demoOutsideTheCheckout() async throws {
        let home = try temporaryDirectory()
        let run = try await LabCheckBinary.run(["demo", "--lang", "en"], environment: LabCheckBinary.environment(home: home), in: home)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Next step: image-cluster-autoscaler"), "\(run.stdout)")
        #expect(run.stdout.contains("Score: 50/100 (50.0%)"))
        #expect(run.stdout.contains("content verified"), "the built-in pins verify the fixture images")
        #expect(run.stderr.contains("seeded from \(BuiltInLab.demoStateName)"))
        try? FileManager.default.removeItem(at: home)
    }
}
