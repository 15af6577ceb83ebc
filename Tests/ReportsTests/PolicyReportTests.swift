import Checks
import Foundation
import LabCheckTestSupport
import Testing

@testable import Reports

/// Late, partial and waived steps in the single-student reports: distinct in text, Markdown and JUnit
/// (valid against both schemas), and kept whole by summary.json (decode(encode(r)) == r).
@Suite("Policy in reports")
struct PolicyReportTests {
    /// The sample with a partial cleanup step (3 of 4 conditions), graded under a policy: a late pass
    /// (trail event after the deadline), a waiver granting the failed image step, an expired one.
    static func graded() throws -> LabResult {
        var result = Fixtures.sample()
        result.steps[0].evidence?.event = TrailEventReference(
            eventName: "CreateRepository", eventTime: Fixtures.started.addingTimeInterval(-86_400 * 1.5), eventId: "e-1", principalArn: nil)
        result.steps[0].evidence?.source = .trail
        result.steps[0].source = .trail
        result.steps[4].status = .failed
        result.steps[4].passedEarlier = false
        result.steps[4].source = nil
        result.steps[4].creditPerCondition = true
        result.steps[4].conditions = ["a", "b", "c", "d"].map { StepCondition(name: $0, met: $0 != "d") }
        result.steps[4].evidence = nil
        let spec = LabSpec(
            schemaVersion: 1, id: result.labId, title: result.labTitle,
            steps: try result.steps.map {
                StepSpec(id: $0.id, phase: $0.phase, points: $0.points, title: $0.title, hint: nil, needs: [],
                         check: .repositoryExists(repository: try Template("r")), line: 1)
            }, source: "spec.yaml")
        let policy = try PolicyLoader.parse("""
            schemaVersion: 1
            deadline: 2024-12-31T00:00:00Z
            lateUntil: 2025-01-05T00:00:00Z
            latePenaltyPerDay: 20
            waivers:
              - { step: image-nginx, reason: "mirror down", expires: 2099-01-01 }
              - { step: cache-nginx, reason: "too old", expires: 2020-01-01 }
            """, file: "policy.yaml", spec: spec)
        return policy.apply(to: result, now: Fixtures.finished)
    }

    @Test("the policy's verdicts: late pass with its penalty, partial credit, waived, expired waiver")
    func verdicts() throws {
        let result = try Self.graded()
        #expect(result.steps[0].policy?.late == LateCredit(daysLate: 1, penaltyPercent: 20, withinLateWindow: true))
        #expect(result.steps[0].earned == 8)
        #expect(result.steps[1].status == .waived)
        #expect(result.steps[1].earned == 20)
        #expect(result.steps[4].isPartial)
        // 35 × 3/4 = 26; seen by this grading (2025-01-02T03:04:07Z), 3 days after the deadline: 60% off.
        #expect(result.steps[4].policy?.workTimeSource == .live)
        #expect(result.steps[4].earned == 26 * 40 / 100)
        #expect(result.warnings.map(\.code) == [.waiverExpired])
    }

    @Test("text and Markdown tag late, partial and waived steps and say why")
    func textAndMarkdown() throws {
        let result = try Self.graded()
        let text = TextReport(language: .en).render(result)
        #expect(text.contains("[late 1d −20%]"), "\(text)")
        #expect(text.contains("[late 3d −60%]  [partial 3/4]"), "\(text)")
        #expect(text.contains("~ image-nginx"), "\(text)")
        #expect(text.contains("[waived]"))
        #expect(text.contains("missing: d"))
        #expect(text.contains("waiver: mirror down (expires 2099-01-01T23:59:59Z)"))
        #expect(text.contains("Grading policy: policy.yaml sha256:"))
        #expect(text.contains("Waived 1 · Late 2 · Partial 1"), "\(text)")
        let korean = TextReport(language: .ko).render(result)
        #expect(korean.contains("[부분 점수 3/4]"), "\(korean)")
        let markdown = MarkdownReport(language: .en).render(result)
        #expect(markdown.contains("| 🔖 |"), "\(markdown)")
        #expect(markdown.contains("**partial 3/4**"), "\(markdown)")
        #expect(markdown.contains("**missing: d**"))
    }

    @Test("summary.json keeps the policy's facts: decode(encode(r)) == r")
    func summaryRoundTrip() throws {
        let result = try Self.graded()
        let data = try SummaryJSON.encode(result)
        let decoded = try SummaryJSON.decode(data)
        #expect(try SummaryJSON.encode(decoded) == data)
        #expect(decoded.steps[4].conditions == result.steps[4].conditions)
        #expect(decoded.steps[4].policy == result.steps[4].policy)
        #expect(decoded.policy == result.policy)
        #expect(decoded.steps[1].status == .waived)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let score = try #require(json["score"] as? [String: Any])
        #expect(score["waived"] as? Int == 1)
        #expect(score["late"] as? Int == 2)
        #expect(score["partial"] as? Int == 1)
    }

    @Test("JUnit: a waived step is skipped, a partial one a failure that says so; valid against both schemas",
          .enabled(if: ExternalTool.available("xmllint") || ExternalTool.required, "xmllint not installed (apt-get install libxml2-utils)"))
    func junit() throws {
        let result = try Self.graded()
        let xmllint = try ExternalTool.require("xmllint")
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for language in Language.allCases {
            let xml = JUnitReport(language: language, hostname: "grader").render(result)
            if language == .en {
                #expect(xml.contains("message=\"[late 3d −60%, partial 3/4] The rule is deleted\""), "\(xml)")
                #expect(xml.contains("<skipped message=\"[waived] Tag 1.27 not found"), "\(xml)")
                #expect(xml.contains("name=\"step.cleanup-cache-rule.conditions.missing\" value=\"d\""))
                #expect(xml.contains("name=\"step.image-nginx.waiver.reason\" value=\"mirror down\""))
            }
            let file = directory.appendingPathComponent("policy-\(language).xml")
            try Data(xml.utf8).write(to: file)
            for schema in [Fixtures.antSchema, Fixtures.jenkinsSchema] {
                let run = try ExternalTool.runBlocking(xmllint, ["--noout", "--schema", schema.path, file.path])
                #expect(run.status == 0, "\(schema.lastPathComponent) (\(language)): \(run.output)")
            }
        }
    }
}
