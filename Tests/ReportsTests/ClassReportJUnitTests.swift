import Checks
import Foundation
import Testing

@testable import Reports

#if canImport(FoundationXML)
import FoundationXML
import LabCheckTestSupport
#endif

@Suite("Class report: JUnit XML")
struct ClassReportJUnitTests {
    let classResult = ClassFixtures.sample()
    let report = ClassJUnitReport(language: .en, hostname: "grader-1")

    private func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attribute(forName: name)?.stringValue
    }

    private func properties(_ suite: XMLElement) -> [String: String] {
        var values: [String: String] = [:]
        for property in suite.elements(forName: "properties").first?.elements(forName: "property") ?? [] {
            values[attribute(property, "name") ?? ""] = attribute(property, "value")
        }
        return values
    }

    @Test func oneSuitePerStudent() throws {
        let document = try XMLDocument(data: Data(report.render(classResult).utf8), options: [])
        let root = try #require(document.rootElement())
        let suites = root.elements(forName: "testsuite")
        #expect(suites.map { attribute($0, "name") } == ["s-001", "s-002", "s-003", "s-004", "s-005", "s-006", "s-007"])
        #expect(suites.allSatisfy { attribute($0, "package") == "ecr-lab" })

        let partial = suites[1]
        #expect(attribute(partial, "tests") == "5")
        #expect(attribute(partial, "failures") == "1")
        #expect(attribute(partial, "errors") == "1")
        #expect(attribute(partial, "skipped") == "1")
        let values = properties(partial)
        #expect(values["name"] == "Lee, \"Jr\"")
        #expect(values["account"] == "222222222222")
        #expect(values["score"] == "45/100 (45.0%)")
        #expect(values["student"] == "s-002")
        #expect(partial.elements(forName: "testcase").count == 5)
        #expect(partial.elements(forName: "properties").first?.elements(forName: "property").filter { attribute($0, "name") == "account" }.count == 1)

        let full = properties(suites[0])
        #expect(full["score"] == "100/100 (100.0%)")
        #expect(full["name"] == "김민수")
    }

    @Test func errorRowIsOneErrorTestcase() throws {
        let document = try XMLDocument(data: Data(report.render(classResult).utf8), options: [])
        let suite = try #require(document.rootElement()?.elements(forName: "testsuite")[3])
        #expect(attribute(suite, "name") == "s-004")
        #expect(attribute(suite, "tests") == "1")
        #expect(attribute(suite, "errors") == "1")
        #expect(attribute(suite, "timestamp") == "2025-01-02T03:03:20")
        let cases = suite.elements(forName: "testcase")
        #expect(cases.count == 1)
        #expect(attribute(cases[0], "name") == "grading: Could not be graded")
        let error = try #require(cases.first?.elements(forName: "error").first)
        #expect(attribute(error, "type") == "AssumeRoleFailed")
        #expect(attribute(error, "message")?.hasPrefix("AccessDenied: User arn:aws:sts::999") == true)
        let values = properties(suite)
        #expect(values["status"] == "error")
        #expect(values["error.type"] == "AssumeRoleFailed")
        #expect(values["name"] == "Park Ji-woo")
        #expect(values["account"] == "444444444444")
    }

    private func validate(_ xml: String, label: String) throws {
        let xmllint = try ExternalTool.require("xmllint")
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("\(label).xml")
        try Data(xml.utf8).write(to: file)
        for schema in [Fixtures.antSchema, Fixtures.jenkinsSchema] {
            let run = try ExternalTool.runBlocking(xmllint, ["--noout", "--schema", schema.path, file.path])
            #expect(run.status == 0, "\(label) does not validate against \(schema.lastPathComponent):\n\(run.output)")
        }
    }

    @Test(.enabled(if: ExternalTool.available("xmllint") || ExternalTool.required, "xmllint not installed (apt-get install libxml2-utils)"))
    func validatesAgainstBothSchemas() throws {
        try validate(report.render(classResult), label: "class-en")
        try validate(ClassJUnitReport(language: .ko, hostname: "채점기").render(classResult), label: "class-ko")
        var hostile = classResult
        hostile.students[4].studentId = "s <&\"\u{1B}> 005"
        hostile.students[3].error = StudentError(.evaluation(code: "Weird<Type>&\"\u{0}"), message: "]]> \u{7} <x>")
        try validate(report.render(hostile), label: "class-hostile")
        var empty = classResult
        empty.students = []
        try validate(report.render(empty), label: "class-empty")
    }
}
