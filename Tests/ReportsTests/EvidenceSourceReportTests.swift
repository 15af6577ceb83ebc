import Checks
import Foundation
import Reports
import Testing

/// Every report names where a pass's evidence came from (live, ledger, trail with its event) and the result's warnings.
@Suite("Evidence sources in every report")
struct EvidenceSourceReportTests {
    static let event = TrailEventReference(
        eventName: "PutImage", eventTime: Date(timeIntervalSince1970: 1_743_577_800), eventId: "0f3c1a2b-1111-4222-8333-444455556666",
        principalArn: "arn:aws:iam::111111111111:user/student")

    /// The sample with its first step proven by a PutImage event, and a history warning.
    static func result() -> LabResult {
        var result = Fixtures.sample()
        result.steps[0].evidence = Evidence(firstPassedAt: event.eventTime, observed: ["repository": "r"], source: .trail, event: event)
        result.steps[0].source = .trail
        result.warnings = [ResultWarning(.historyDenied, message: LocalizedText(
            ko: "cloudtrail:LookupEvents 권한이 없습니다", en: "these credentials may not call cloudtrail:LookupEvents"))]
        return result
    }

    @Test("text, Markdown and JUnit name the trail event and the warning")
    func singleReports() {
        let writer = ReportWriter(language: .en)
        let result = Self.result()
        let text = writer.render(result, format: .text)
        #expect(text.contains("Evidence: trail — PutImage 2025-04-02T07:10:00Z (event 0f3c1a2b-1111-4222-8333-444455556666, arn:aws:iam::111111111111:user/student)"), "\(text)")
        #expect(text.contains("cloudtrail:LookupEvents"))
        let markdown = writer.render(result, format: .markdown)
        #expect(markdown.contains("`trail` PutImage 2025-04-02T07:10:00Z"), "\(markdown)")
        #expect(markdown.contains("> ⚠️ these credentials may not call cloudtrail:LookupEvents"))
        let junit = writer.render(result, format: .junit)
        #expect(junit.contains("name=\"step.repo-aws-lbc.source\" value=\"trail\""), "\(junit)")
        #expect(junit.contains("name=\"step.repo-aws-lbc.event.id\" value=\"0f3c1a2b-1111-4222-8333-444455556666\""))
        #expect(junit.contains("name=\"warning.1.historyDenied\""))
    }

    @Test("summary.json keeps source, event and warnings through a round trip")
    func summaryRoundTrip() throws {
        let result = Self.result()
        let decoded = try SummaryJSON.decode(SummaryJSON.encode(result))
        #expect(decoded.steps[0].source == .trail)
        #expect(decoded.steps[0].evidence?.event == Self.event)
        #expect(decoded.warnings == result.warnings)
        #expect(decoded.steps[1].source == nil, "a failed step has no source")
    }

    @Test("the class HTML shows the source on hover; the class CSV lists it")
    func classReports() {
        var classResult = ClassFixtures.sample()
        classResult.students[0].result = Self.result()
        let html = ClassHTMLReport(language: .en).render(classResult)
        #expect(html.contains("Evidence: trail — PutImage 2025-04-02T07:10:00Z"), "hover text")
        let csv = ClassCSVReport().render(classResult)
        #expect(csv.contains("repo-aws-lbc=trail"))
        #expect(csv.contains("historyDenied"))
        let markdown = ClassMarkdownReport(language: .en).render(classResult)
        #expect(markdown.contains("## Warnings"), "\(markdown)")
        #expect(markdown.contains("- `s-001`: `historyDenied` these credentials may not call cloudtrail:LookupEvents"))
    }
}
