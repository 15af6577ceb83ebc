import Checks
import Foundation
import LabCheckTestSupport
import Testing

@testable import Reports

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The class reports are written a student at a time into their files; what they write must be what
/// the whole-document encoders and parsers agree on.
@Suite("Class report: streaming writers")
struct ClassReportStreamingTests {
    static let classes: [(String, ClassResult)] = {
        var empty = ClassFixtures.sample()
        empty.students = []
        var one = ClassFixtures.sample()
        one.students = [one.students[1]]
        var errorsOnly = ClassFixtures.sample()
        errorsOnly.students = errorsOnly.students.filter { $0.result == nil }
        return [("sample", ClassFixtures.sample()), ("empty", empty), ("one", one), ("errors only", errorsOnly), ("large", ClassFixtures.large(300))]
    }()

    @Test("class.json written student by student is byte-identical to encoding the whole document at once")
    func jsonEqualsTheWholeDocument() throws {
        for (label, classResult) in Self.classes {
            let whole = try ReportJSONCoding.document(ClassDocument(classResult))
            let streamed = try ClassJSON.encode(classResult)
            #expect(streamed == whole, "\(label)")
            #expect(try ClassJSON.decode(streamed) == classResult, "\(label) round-trips")
        }
    }

    @Test("the files written through streams hold exactly the reports rendered in memory")
    func filesEqualTheRenderedReports() async throws {
        // Off the cooperative pool (a few seconds of CPU in a debug build); checked back on it.
        let checks = try await offPool { () throws -> [(label: String, passed: Bool)] in
            let directory = try Fixtures.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let classResult = ClassFixtures.large(600)
            var checks: [(label: String, passed: Bool)] = []
            for language in Language.allCases {
                let writer = ClassReportWriter(language: language, hostname: "grader-1")
                let files = try writer.write(classResult, to: directory)
                for (format, file) in zip(ClassReportFormat.allCases, files) {
                    checks.append(("\(language) \(format) file equals data(_:format:)",
                                   try Data(contentsOf: file) == (try writer.data(classResult, format: format))))
                }
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
                checks.append(("\(language): no temporary files left (\(leftovers))", leftovers.isEmpty))
                checks.append(("\(language): class.json reads back", try ClassJSON.read(from: files[1]).students.count == 600))
            }
            return checks
        }
        #expect(checks.count == 14)
        for check in checks { #expect(check.passed, "\(check.label)") }
    }

    @Test("reports of a class read back from class.json are byte-identical, also for dates between milliseconds")
    func reportsSurviveTheJSONRoundTrip() throws {
        var classResult = ClassFixtures.large(50)
        for index in classResult.students.indices {
            // 0.9996 s past a second: written as the next second's .000 in class.json.
            let offset = 0.9996 + Double(index)
            classResult.students[index].result?.startedAt = ClassFixtures.classStarted.addingTimeInterval(offset - 0.25)
            classResult.students[index].result?.finishedAt = ClassFixtures.classStarted.addingTimeInterval(offset + 1)
        }
        let readBack = try ClassJSON.decode(try ClassJSON.encode(classResult))
        let writer = ClassReportWriter(language: .en, hostname: "grader-1")
        for format in ClassReportFormat.allCases {
            #expect(try writer.data(classResult, format: format) == (try writer.data(readBack, format: format)), "\(format)")
        }
    }

    @Test("class.junit.xml parses back with XMLDocument: one suite per student, every value as given")
    func junitParsesBack() throws {
        var classResult = ClassFixtures.large(500)
        let hostileId = "s <&\"'\u{1B}> ]]> 999"
        let hostileMessage = "]]> <x a=\"1\"> & \u{7} 'q' 메시지"
        classResult.students[3].studentId = hostileId
        classResult.students[6].error = StudentError(.evaluation(code: "Weird<Type>&\""), message: hostileMessage)
        let xml = ClassJUnitReport(language: .en, hostname: "grader-1").data(classResult)
        let document = try XMLDocument(data: xml, options: [])
        let suites = try #require(document.rootElement()?.elements(forName: "testsuite"))
        #expect(suites.count == 500)
        #expect(suites.map { $0.attribute(forName: "id")?.stringValue } == (0..<500).map { String($0) })
        #expect(suites[3].attribute(forName: "name")?.stringValue == TextSanitizer.xmlToken(hostileId))
        let error = try #require(suites[6].elements(forName: "testcase").first?.elements(forName: "error").first)
        #expect(error.attribute(forName: "message")?.stringValue == TextSanitizer.xml(hostileMessage))
        #expect(error.attribute(forName: "type")?.stringValue == "Weird<Type>&\"")
        #expect(String(decoding: xml, as: UTF8.self).contains("메시지"), "UTF-8, not character references")
    }

    @Test("hover texts are cut; an error row's reason is written once")
    func htmlHoverTextIsBounded() throws {
        var classResult = ClassFixtures.sample()
        let long = String(repeating: "very long message ", count: 400)
        let index = try #require(classResult.students.firstIndex { $0.result != nil })
        classResult.students[index].result?.steps[1].status = .failed
        classResult.students[index].result?.steps[1].message = LocalizedText(long)
        let errorIndex = try #require(classResult.students.firstIndex { $0.result == nil })
        classResult.students[errorIndex].error = StudentError(.assumeRoleFailed, message: "unique-reason " + long)
        let html = ClassHTMLReport(language: .en).render(classResult)
        let titles = html.components(separatedBy: "title=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first }
        #expect(titles.allSatisfy { $0.count <= ClassHTMLReport.maximumHoverLength + 40 }, "a title longer than the cap (escaping may lengthen it a little)")
        #expect(titles.contains { $0.hasSuffix("…") })
        let row = try #require(html.components(separatedBy: "data-student=\"\(classResult.students[errorIndex].studentId)\">").dropFirst().first)
        let rowText = String(row.prefix { $0 != "\n" })
        #expect(rowText.components(separatedBy: "unique-reason").count == 2, "the reason once in the students table row")
        #expect(html.contains(long.trimmingCharacters(in: .whitespaces)), "the error section keeps the whole reason")
    }

    @Test("Markdown distribution bars are scaled to at most 50 blocks")
    func markdownBarsAreBounded() {
        let text = ClassMarkdownReport(language: .en).render(ClassFixtures.large(1_000))
        let bars = text.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains("█") }
        #expect(!bars.isEmpty)
        #expect(bars.allSatisfy { $0.filter { $0 == "█" }.count <= ClassMarkdownReport.maximumBarLength })
        #expect(ClassMarkdownReport.barLength(3, largest: 40) == 3)
        #expect(ClassMarkdownReport.barLength(1, largest: 10_000) == 1)
        #expect(ClassMarkdownReport.barLength(10_000, largest: 10_000) == 50)
    }

    @Test("a file stream appears only when committed, replaces the old file, and names the path when it fails")
    func fileStreamIsAtomic() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("class.csv")
        try Data("old".utf8).write(to: url)
        let stream = try ReportStream.file(at: url)
        for number in 0..<20_000 { stream.write("row \(number)\n") }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old", "the old file stays until commit")
        try stream.commit()
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("row 0\n") && text.hasSuffix("row 19999\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["class.csv"])

        // Abandoned: the temporary file goes, the report stays as it was.
        do {
            let abandoned = try ReportStream.file(at: url)
            abandoned.write("half")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["class.csv"])
        #expect(try String(contentsOf: url, encoding: .utf8) == text)

        // The directory vanishes before the commit: the error names the file.
        let gone = directory.appendingPathComponent("gone", isDirectory: true)
        try FileManager.default.createDirectory(at: gone, withIntermediateDirectories: true)
        let orphan = try ReportStream.file(at: gone.appendingPathComponent("class.html"))
        orphan.write("x")
        try FileManager.default.removeItem(at: gone)
        do {
            try orphan.commit()
            Issue.record("a stream whose directory is gone was committed")
        } catch let error as ReportWriterError {
            #expect(error.path.hasSuffix("gone/class.html"))
        }
    }
}
