import Checks
import Foundation
import Reports
import Testing

#if canImport(FoundationXML)
import FoundationXML
import LabCheckTestSupport
#endif

/// The JUnit of `labcheck verify-lab`: a suite per stage, scripts and the score as test cases.
@Suite("verify-lab JUnit")
struct VerificationJUnitReportTests {
    static let plan = LabPlan(labId: "ecr-lab", stages: [
        .init(id: "create-repositories", title: "ECR Repository 생성", scripts: ["01/a.sh", "01/b.sh"], score: 15),
        .init(id: "push-images", title: "Push", scripts: ["02/a.sh", "02/b.sh"], score: 45),
        .init(id: "cleanup", title: "리소스 삭제", scripts: ["99/delete.sh"], score: 100),
    ], source: "stages.yaml")

    static func result(percentOf steps: [StepStatus]) -> LabResult {
        var result = Fixtures.sample()
        result.steps = steps.enumerated().map { index, status in
            var step = result.steps[index % result.steps.count]
            step.id = "step-\(index)"
            step.points = 10
            step.earned = status == .passed ? 10 : 0
            step.status = status
            return step
        }
        return result
    }

    /// Stage 1 passed, stage 2's second script failed; stage 3 never ran.
    static func failedRun(output: String = "+ [labcheck] docker pull x:v9\nError: manifest unknown") -> LabVerification {
        LabVerification(labId: "ecr-lab", startedAt: Fixtures.started, finishedAt: Fixtures.finished, stages: [
            StageOutcome(stage: plan.stages[0], scripts: [
                ScriptRun(path: "01/a.sh", exitStatus: 0, durationSeconds: 1.25, lastCommand: "aws ecr create-repository", output: ""),
                ScriptRun(path: "01/b.sh", exitStatus: 0, durationSeconds: 1.5, lastCommand: "aws ecr create-repository", output: ""),
            ], result: result(percentOf: [.passed, .passed, .failed, .failed, .failed, .failed, .failed, .failed, .failed, .failed])),
            StageOutcome(stage: plan.stages[1], scripts: [
                ScriptRun(path: "02/a.sh", exitStatus: 0, durationSeconds: 2, lastCommand: "docker rmi", output: ""),
                ScriptRun(path: "02/b.sh", exitStatus: 125, durationSeconds: 0.5, lastCommand: "docker pull x:v9", output: output),
            ], result: nil),
        ])
    }

    func attribute(_ element: XMLElement?, _ name: String) -> String? { element?.attribute(forName: name)?.stringValue }

    @Test("a failed script is a failure naming the stage and command; stages after it are skipped")
    func failedScript() throws {
        let xml = VerificationJUnitReport(plan: Self.plan, language: .en, hostname: "ci").render(Self.failedRun())
        let document = try XMLDocument(xmlString: xml, options: [])
        let suites = document.rootElement()?.elements(forName: "testsuite") ?? []
        #expect(suites.map { attribute($0, "name") } == ["ecr-lab.create-repositories", "ecr-lab.push-images", "ecr-lab.cleanup"])

        // Stage 1: two scripts and the score, all passed (20% >= 15%).
        #expect(attribute(suites[0], "tests") == "3")
        #expect(attribute(suites[0], "failures") == "0")
        let first = suites[0].elements(forName: "properties").first?.elements(forName: "property") ?? []
        #expect(first.first { attribute($0, "name") == "score.actual" }.flatMap { attribute($0, "value") } == "20.0")

        // Stage 2: the failed script carries the command and the output; the score is skipped.
        #expect(attribute(suites[1], "failures") == "1")
        #expect(attribute(suites[1], "skipped") == "1")
        let cases = suites[1].elements(forName: "testcase")
        let failure = cases.first { attribute($0, "name") == "script 02/b.sh" }?.elements(forName: "failure").first
        #expect(attribute(failure, "type") == "ScriptFailed")
        #expect(attribute(failure, "message") == "stage push-images: script 02/b.sh failed (exit 125) at: docker pull x:v9")
        #expect(failure?.stringValue?.contains("Error: manifest unknown") == true)

        // Stage 3 never ran: its script and its score are skipped.
        #expect(attribute(suites[2], "tests") == "2")
        #expect(attribute(suites[2], "skipped") == "2")
    }

    @Test("a score below the stage's figure is a failure listing the steps that kept it down")
    func scoreShortfall() throws {
        var run = Self.failedRun()
        run.stages = [StageOutcome(stage: Self.plan.stages[0], scripts: [
            ScriptRun(path: "01/a.sh", exitStatus: 0, durationSeconds: 1, lastCommand: nil, output: ""),
            ScriptRun(path: "01/b.sh", exitStatus: 0, durationSeconds: 1, lastCommand: nil, output: ""),
        ], result: Self.result(percentOf: [.passed, .failed, .failed, .failed, .failed, .failed, .failed, .failed, .failed, .failed]))]
        let summary = try #require(VerificationText.failureSummary(run, language: .en))
        #expect(summary.hasPrefix("stage create-repositories: score 10.0% is below the 15.0% it must reach"))
        #expect(summary.contains("  - step-1 (failed): "))
        let xml = VerificationJUnitReport(plan: Self.plan, language: .en).render(run)
        let document = try XMLDocument(xmlString: xml, options: [])
        let score = document.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase")
            .first { attribute($0, "name") == "score >= 15.0%" }
        #expect(attribute(score?.elements(forName: "failure").first, "type") == "ScoreNotReached")
    }

    @Test(.enabled(if: ExternalTool.available("xmllint") || ExternalTool.required, "xmllint not installed (apt-get install libxml2-utils)"))
    func validatesAgainstBothSchemas() async throws {
        _ = try ExternalTool.require("xmllint")
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let hostile = Self.failedRun(output: "]]> <x> & \u{1B}[31mred\u{1B}[0m \u{0} \"quoted\"")
        let passed = LabVerification(labId: "ecr-lab", startedAt: Fixtures.started, finishedAt: Fixtures.finished, stages: [])
        for (label, run) in [("failed", Self.failedRun()), ("hostile", hostile), ("empty", passed)] {
            let file = directory.appendingPathComponent("\(label).xml")
            try VerificationJUnitReport(plan: Self.plan, language: .ko, hostname: "채점기").data(run).write(to: file)
            for schema in [Fixtures.antSchema, Fixtures.jenkinsSchema] {
                let check = try await ExternalTool.run("xmllint", ["--noout", "--schema", schema.path, file.path])
                #expect(check.status == 0, "\(label) against \(schema.lastPathComponent):\n\(check.output)")
            }
        }
    }
}
