import Checks
import Foundation
import Testing

@testable import Reports

/// Every report says which rules made the grade (the spec's digest and the labcheck version), and
/// the text report opens with the step to do next.
@Suite("Reports: rules and next step")
struct RunProvenanceTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    static func recorded() -> LabResult {
        var result = Fixtures.sample()
        result.specDigest = digest
        result.labcheckVersion = "9.8.7"
        return result
    }

    @Test func summaryJSONRecordsAndReadsBack() throws {
        let data = try SummaryJSON.encode(Self.recorded())
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((json["lab"] as? [String: Any])?["digest"] as? String == Self.digest)
        #expect(json["labcheckVersion"] as? String == "9.8.7")
        let back = try SummaryJSON.decode(data)
        #expect(back.specDigest == Self.digest)
        #expect(back.labcheckVersion == "9.8.7")
    }

    @Test func summaryJSONWithoutThemIsStillRead() throws {
        let data = try SummaryJSON.encode(Fixtures.sample())
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((json["lab"] as? [String: Any])?["digest"] is NSNull)
        #expect(json["labcheckVersion"] is NSNull)
        // A document of an older labcheck has neither key.
        var old = json
        old.removeValue(forKey: "labcheckVersion")
        var lab = try #require(old["lab"] as? [String: Any])
        lab.removeValue(forKey: "digest")
        old["lab"] = lab
        let back = try SummaryJSON.decode(try JSONSerialization.data(withJSONObject: old))
        #expect(back.specDigest == nil)
        #expect(back.labcheckVersion == nil)
    }

    @Test func junitMarkdownAndTextName() {
        let result = Self.recorded()
        let junit = JUnitReport(language: .en, hostname: "h").render(result)
        #expect(junit.contains("<property name=\"lab.digest\" value=\"\(Self.digest)\"></property>"))
        #expect(junit.contains("<property name=\"labcheck.version\" value=\"9.8.7\"></property>"))
        let markdown = MarkdownReport(language: .en).render(result)
        #expect(markdown.contains("_Graded with: ecr-lab \(Self.digest) · labcheck 9.8.7_"))
        let text = TextReport(language: .en).render(result)
        #expect(text.hasSuffix("Graded with: ecr-lab \(Self.digest) · labcheck 9.8.7\n"))
        let korean = TextReport(language: .ko).render(result)
        #expect(korean.contains("채점 기준: ecr-lab \(Self.digest) · labcheck 9.8.7"))
    }

    @Test func nextStepIsTheFirstFailedOrErrorStepThenSkipped() {
        let result = Fixtures.sample()
        #expect(result.nextStep?.id == "image-nginx")
        var onlySkipped = result
        onlySkipped.steps = result.steps.filter { $0.status == .passed || $0.status == .skipped }
        #expect(onlySkipped.nextStep?.status == .skipped)
        var done = result
        done.steps = result.steps.filter { $0.status == .passed }
        #expect(done.nextStep == nil)
        #expect(TextReport(language: .en).render(done).hasPrefix("Every step passed: nothing left to do.\n\n"))
        #expect(TextReport(language: .ko).render(done).hasPrefix("모든 단계를 통과했습니다."))
    }

    @Test func newlyPassedStepsAreMarked() {
        var report = TextReport(language: .en)
        report.newlyPassed = ["repo-aws-lbc", "image-nginx"]
        let rows = report.render(Fixtures.sample()).split(separator: "\n")
        #expect(rows.contains { $0.hasPrefix("  ✓ repo-aws-lbc") && $0.hasSuffix("★ new") })
        // Only passed steps are marked.
        #expect(rows.contains { $0.hasPrefix("  ✗ image-nginx") && !$0.contains("★") })
    }
}
