import Checks
import Foundation
import Testing

@testable import Reports

#if canImport(FoundationXML)
import FoundationXML
import LabCheckTestSupport
#endif

@Suite("JUnit XML")
struct JUnitReportTests {
    let report = JUnitReport(language: .en, hostname: "grader-1")

    private func parse(_ xml: String) throws -> XMLElement {
        let document = try XMLDocument(data: Data(xml.utf8), options: [])
        return try #require(document.rootElement())
    }

    private func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attribute(forName: name)?.stringValue
    }

    @Test func structureOneSuitePerPhase() throws {
        let root = try parse(report.render(Fixtures.sample()))
        #expect(root.name == "testsuites")
        #expect((root.attributes ?? []).isEmpty, "Ant allows no attributes on <testsuites>")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.count == 2)
        let build = try #require(suites.first)
        #expect(attribute(build, "name") == "ecr-lab.build")
        #expect(attribute(build, "package") == "ecr-lab")
        #expect(attribute(build, "id") == "0")
        #expect(attribute(suites[1], "id") == "1")
        #expect(attribute(suites[1], "name") == "ecr-lab.cleanup")
        #expect(attribute(build, "timestamp") == "2025-01-02T03:04:05")
        #expect(attribute(build, "hostname") == "grader-1")
        #expect(attribute(build, "tests") == "4")
        #expect(attribute(build, "failures") == "1")
        #expect(attribute(build, "errors") == "1")
        #expect(attribute(build, "skipped") == "1")
        #expect(attribute(build, "time") == "0.385")

        let childNames = (build.children ?? []).compactMap(\.name)
        #expect(childNames == ["properties", "testcase", "testcase", "testcase", "testcase", "system-out", "system-err"])

        let properties = try #require(build.elements(forName: "properties").first)
        var values: [String: String] = [:]
        for property in properties.elements(forName: "property") {
            values[attribute(property, "name") ?? ""] = attribute(property, "value")
        }
        #expect(values["points.earned"] == "10")
        #expect(values["points.total"] == "65")
        #expect(values["account"] == "123456789012")
        #expect(values["region"] == "ap-northeast-2")
        #expect(values["step.image-nginx.points"] == "20")
        #expect(values["step.image-nginx.earned"] == "0")
        #expect(values["step.repo-aws-lbc.earned"] == "10")

        let cases = build.elements(forName: "testcase")
        #expect(attribute(cases[0], "name") == "repo-aws-lbc: Repository aws-load-balancer-controller exists")
        #expect(attribute(cases[0], "classname") == "ecr-lab")
        #expect(attribute(cases[0], "time") == "0.235")
        #expect((cases[0].children ?? []).isEmpty)

        let failure = try #require(cases[1].elements(forName: "failure").first)
        #expect(attribute(failure, "type") == "StepFailed")
        #expect(attribute(failure, "message") == "Tag 1.27 not found in public.ecr.aws/nginx/nginx")
        #expect(failure.stringValue == "Tag 1.27 not found in public.ecr.aws/nginx/nginx\nHint: Push tag 1.27 with docker push")

        let error = try #require(cases[2].elements(forName: "error").first)
        #expect(attribute(error, "type") == "AccessDeniedException")
        #expect(attribute(error, "message") == "Access denied")

        let skipped = try #require(cases[3].elements(forName: "skipped").first)
        #expect(attribute(skipped, "message") == "Skipped: cache-rule did not pass")
        #expect(attribute(skipped, "type") == nil)

        let cleanupValues = try #require(suites[1].elements(forName: "properties").first)
            .elements(forName: "property").map { (attribute($0, "name") ?? "", attribute($0, "value") ?? "") }
        #expect(cleanupValues.contains { $0 == ("step.cleanup-cache-rule.passedEarlier", "true") })
        #expect(cleanupValues.contains { $0 == ("step.cleanup-cache-rule.evidence.ecrRepositoryPrefix", "public-ecr-9641173") })
    }

    @Test func koreanStaysUTF8() throws {
        let xml = JUnitReport(language: .ko, hostname: "h").render(Fixtures.sample())
        #expect(xml.contains("태그 1.27 이 없습니다"))
        #expect(xml.contains("힌트: docker push 로 1.27 태그를 푸시하세요"))
        #expect(!xml.contains("&#x"))
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"") || xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\""))
    }

    @Test func hostileTextIsEscapedAndSanitised() throws {
        let xml = report.render(Fixtures.hostile())
        #expect(!xml.contains("\u{0}"))
        #expect(!xml.contains("\u{1B}"))
        #expect(!xml.contains("\u{7}"))
        #expect(!xml.contains("\u{FFFF}"))
        #expect(!xml.contains("<![CDATA["))
        #expect(!xml.contains("]]>"), "]]> must come out as ]]&gt;")
        #expect(xml.contains("]]&gt;"))
        #expect(xml.contains("a &lt; b &amp;&amp; c"))
        #expect(xml.contains("^[[31mred^[[0m"))
        #expect(xml.contains("^@nul"))
        #expect(xml.contains("bell^G"))
        // Well-formed, and the text reads back as written (sanitised).
        let root = try parse(xml)
        let build = try #require(root.elements(forName: "testsuite").first)
        let failure = try #require(build.elements(forName: "testcase")[1].elements(forName: "failure").first)
        #expect(attribute(failure, "message")?.contains("a < b && c > d \"quoted\" 'single' ]]> end ^@nul") == true)
        #expect(attribute(failure, "message")?.contains("\nsecond line") == true)
        let error = try #require(build.elements(forName: "testcase")[2].elements(forName: "error").first)
        #expect(attribute(error, "type") == "Weird<Type>&\"^@\"")
    }

    @Test func severalSuitesForAClass() throws {
        var alice = Fixtures.sample()
        alice.studentId = "alice"
        var bob = Fixtures.sample(phase: .build)
        bob.studentId = "bob"
        let xml = report.render(suites: [
            JUnitReport.Suite(name: "alice", package: "class-2025", result: alice),
            JUnitReport.Suite(name: "bob", package: "class-2025", result: bob),
        ])
        let suites = try parse(xml).elements(forName: "testsuite")
        #expect(suites.map { attribute($0, "name") } == ["alice", "bob"])
        #expect(suites.map { attribute($0, "id") } == ["0", "1"])
        #expect(suites.map { attribute($0, "tests") } == ["5", "4"])
        #expect(suites.map { attribute($0, "package") } == ["class-2025", "class-2025"])
    }

    @Test func emptyResultStillHasASuite() throws {
        var result = Fixtures.sample(phase: .cleanup)
        result.steps = []
        let suites = try parse(report.render(result)).elements(forName: "testsuite")
        #expect(suites.count == 1)
        #expect(attribute(suites[0], "name") == "ecr-lab.cleanup")
        #expect(attribute(suites[0], "tests") == "0")
    }

    @Test func timesHaveAtMostThreeDecimals() {
        #expect(ReportNumbers.seconds(0.1234) == "0.123")
        #expect(ReportNumbers.seconds(0) == "0.000")
        #expect(ReportNumbers.seconds(1234.5) == "1234.500")
        #expect(ReportNumbers.seconds(-3) == "0.000")
        #expect(ReportNumbers.seconds(.nan) == "0.000")
        #expect(ReportNumbers.seconds(2.9996) == "3.000")
    }

    // MARK: - Schema validation with xmllint

    private func validate(_ xml: String, label: String) throws {
        try ExternalTool.require("xmllint")
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("\(label).xml")
        try Data(xml.utf8).write(to: file)
        for schema in [Fixtures.antSchema, Fixtures.jenkinsSchema] {
            let run = try ExternalTool.runBlocking(try ExternalTool.require("xmllint"), ["--noout", "--schema", schema.path, file.path])
            #expect(run.status == 0, "\(label) does not validate against \(schema.lastPathComponent):\n\(run.output)\n\(xml)")
        }
    }

    @Test(.enabled(if: ExternalTool.available("xmllint") || ExternalTool.required, "xmllint not installed (apt-get install libxml2-utils)"))
    func validatesAgainstBothSchemas() throws {
        try validate(report.render(Fixtures.sample()), label: "sample-en")
        try validate(JUnitReport(language: .ko).render(Fixtures.sample()), label: "sample-ko")
        try validate(report.render(Fixtures.sample(phase: .build)), label: "build-only")
        var recorded = Fixtures.sample()
        recorded.specDigest = "sha256:" + String(repeating: "0", count: 64)
        recorded.labcheckVersion = LabCheckVersion.current
        try validate(report.render(recorded), label: "with-spec-digest")
    }

    @Test(.enabled(if: ExternalTool.available("xmllint") || ExternalTool.required, "xmllint not installed (apt-get install libxml2-utils)"))
    func hostileTextValidatesAgainstBothSchemas() throws {
        try validate(report.render(Fixtures.hostile()), label: "hostile-en")
        try validate(JUnitReport(language: .ko, hostname: "호스트 <\u{1B}>").render(Fixtures.hostile()), label: "hostile-ko")
    }

    @Test(.enabled(if: ExternalTool.available("xmllint") || ExternalTool.required, "xmllint not installed (apt-get install libxml2-utils)"))
    func classAndEmptyDocumentsValidate() throws {
        var empty = Fixtures.sample()
        empty.steps = []
        empty.labId = ""
        try validate(report.render(empty), label: "empty")
        try validate(report.render(suites: []), label: "no-suites")
        try validate(
            report.render(suites: [
                JUnitReport.Suite(name: "학생 1", package: "class 2025", result: Fixtures.hostile()),
                JUnitReport.Suite(name: "", package: "", result: Fixtures.sample(), phase: .cleanup),
            ]), label: "class")
    }

    @Test(.enabled(if: ExternalTool.available("xmllint") || ExternalTool.required, "xmllint not installed (apt-get install libxml2-utils)"))
    func validatorRejectsInvalidDocuments() throws {
        // A negative control: the harness must catch what either schema forbids.
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.xml")
        try Data("<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"0.1234\" bogus=\"1\"/></testsuites>".utf8)
            .write(to: file)
        for schema in [Fixtures.antSchema, Fixtures.jenkinsSchema] {
            let run = try ExternalTool.runBlocking(try ExternalTool.require("xmllint"), ["--noout", "--schema", schema.path, file.path])
            #expect(run.status != 0, "\(schema.lastPathComponent) accepted an invalid document")
        }
    }

    @Test func sanitiserKeepsAllowedCharacters() {
        #expect(TextSanitizer.xml("tab\tnl\ncr\r한국어 😀") == "tab\tnl\ncr\r한국어 😀")
        #expect(TextSanitizer.xml("\u{0}\u{7}\u{B}\u{C}\u{1B}\u{1F}\u{FFFE}\u{FFFF}") == "^@^G^K^L^[^_\u{FFFD}\u{FFFD}")
        #expect(TextSanitizer.xmlToken("  a\n b\tc  ") == "a b c")
    }
}
