import Checks
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Reports
import Testing

/// Every fixture state graded through the real HTTP path to the fake, against its expected results.
@Suite("Fixture states")
struct FixtureStateTests {
    struct Expectation: Decodable {
        var description: String
        var phase: PhaseSelection
        var steps: [String: StepStatus]
        var history: [String]?
        /// Step id -> points earned by a failed step with credit per condition (the share of conditions met).
        var partialEarned: [String: Int]?
    }

    static let stateNames: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: RepositoryFiles.states.path)) ?? []
        return files.filter { $0.hasSuffix(".expected.json") }.map { String($0.dropLast(".expected.json".count)) }.sorted()
    }()

    @Test("there are fixture states for every stage and the tricky cases")
    func statesExist() {
        for name in ["fresh", "after-create", "after-push", "after-cache", "complete", "cleaned-up", "halfway", "wrong-tag",
                     "misspelled-repository", "wrong-upstream", "other-prefix", "extra-repositories", "two-cache-rules",
                     "cleaned-up-with-history", "partly-cleaned-up-with-history", "cleaned-up-before-build-finished", "recreated-after-cleanup"] {
            #expect(Self.stateNames.contains(name), "fixtures/states/\(name).json is missing")
        }
    }

    @Test("graded as expected", arguments: stateNames)
    func graded(_ name: String) async throws {
        let expectationURL = RepositoryFiles.states.appendingPathComponent("\(name).expected.json")
        let expectation = try JSONDecoder().decode(Expectation.self, from: Data(contentsOf: expectationURL))
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        let account = try await TestFakeECR.start(TestFakeECR.historyConfiguration())
        let ledger = try temporaryDirectory()
        do {
            for earlier in expectation.history ?? [] {
                try await account.load(state: earlier)
                _ = try await account.grade(spec, phase: expectation.phase, ledgerDirectory: ledger)
            }
            try await account.load(state: name)
            let result = try await account.grade(spec, phase: expectation.phase, ledgerDirectory: ledger)
            let statuses = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.id, $0.status) })
            #expect(statuses == expectation.steps, "\(name): \(expectation.description)\n\(result.steps.map { "\($0.id): \($0.status) — \($0.message.en)" }.joined(separator: "\n"))")
            #expect(result.accountId == TestFakeECR.accountId)
            // Passed steps earn their points; a step with credit per condition earns the share met (`partialEarned`).
            let expectedScore = spec.steps.filter { expectation.steps[$0.id] == .passed }.reduce(0) { $0 + $1.points }
                + (expectation.partialEarned ?? [:]).values.reduce(0, +)
            #expect(result.earnedPoints == expectedScore)
            try validateJUnit(result, name: name)
        } catch {
            Issue.record(error)
        }
        await account.stop()
        try? FileManager.default.removeItem(at: ledger)
    }

    /// The JUnit report of the state, in both languages, valid against both schemas of Tests/ReportsTests/Schemas.
    func validateJUnit(_ result: LabResult, name: String) throws {
        guard ExternalTool.available("xmllint") || ExternalTool.required else { return }
        let xmllint = try ExternalTool.require("xmllint")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for language in Language.allCases {
            let file = directory.appendingPathComponent("\(name)-\(language).xml")
            try Data(ReportWriter(language: language).render(result, format: .junit).utf8).write(to: file)
            for schema in ["ant-junit.xsd", "jenkins-junit-10.xsd"] {
                let xsd = RepositoryFiles.root.appendingPathComponent("Tests/ReportsTests/Schemas/\(schema)").path
                let run = try ExternalTool.runBlocking(xmllint, ["--noout", "--schema", xsd, file.path])
                #expect(run.status == 0, "\(name) (\(language)) JUnit does not validate against \(schema): \(run.output)")
            }
        }
    }
}
