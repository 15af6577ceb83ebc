import Checks
import Foundation
import LabCheckTestSupport
import Testing

@testable import Reports

@Suite("Class report: CSV")
struct ClassReportCSVTests {
    let classResult = ClassFixtures.sample()

    private func records() throws -> [[String]] {
        try ClassFixtures.parseCSV(ClassCSVReport().render(classResult))
    }

    @Test func headerAndOneRowPerStudentInRosterOrder() throws {
        let records = try records()
        #expect(records.first == [
            "student_id", "name", "account_id", "status", "repo-aws-lbc", "image-nginx", "cache-rule", "cache-nginx",
            "cleanup-cache-rule", "earned", "total", "percentage", "error", "evidence", "warnings",
        ])
        #expect(records.count == 1 + 7)
        #expect(records.dropFirst().map { $0[0] } == ["s-001", "s-002", "s-003", "s-004", "s-005", "s-006", "s-007"])
        #expect(records.allSatisfy { $0.count == 15 }, "every record has every column")
    }

    @Test func gradedRowsHoldStatusesAndScores() throws {
        let records = try records()
        #expect(records[1] == [
            "s-001", "김민수", "111111111111", "graded", "passed", "passed", "passed", "passed", "passed", "100", "100", "100.0", "",
            "repo-aws-lbc=live cleanup-cache-rule=ledger", "",
        ])
        #expect(records[2] == [
            "s-002", "Lee, \"Jr\"", "222222222222", "graded", "passed", "failed", "error", "skipped", "passed", "45", "100", "45.0", "",
            "repo-aws-lbc=live cleanup-cache-rule=ledger", "",
        ])
        #expect(Array(records[3][3...]) == ["graded", "failed", "failed", "failed", "failed", "failed", "0", "100", "0.0", "", "", ""])
    }

    @Test func errorRowsHaveEmptyStepsAndTheReason() throws {
        let records = try records()
        let assumeRole = records[4]
        #expect(assumeRole[0] == "s-004")
        #expect(assumeRole[3] == "error")
        #expect(assumeRole[4...11].allSatisfy { $0.isEmpty }, "no marks and no score for an error row")
        #expect(assumeRole[12].hasPrefix("AssumeRoleFailed: AccessDenied: User arn:aws:sts::999:assumed-role/grader"))
        let roster = records[7]
        #expect(roster[1] == "" && roster[2] == "")
        #expect(roster[12] == "RosterError: class.csv:8: account_id '12x' is not 12 digits")
    }

    @Test func formulaInjectionIsGuarded() throws {
        let records = try records()
        #expect(records[3][1] == "'=HYPERLINK(\"http://evil.example\",\"click\")")
        #expect(records[6][1] == "'+Plus @at -minus")
        for (raw, guarded) in [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("a=b", "a=b")] {
            #expect(ClassCSVReport.field(raw) == guarded)
        }
        // No field the spreadsheet sees starts a formula.
        for record in records.dropFirst() {
            for field in record {
                #expect(!["=", "+", "-", "@"].contains(field.first.map(String.init) ?? ""), "unguarded field \(field)")
            }
        }
    }

    @Test func quotingAndLineEndsFollowRFC4180() {
        let text = ClassCSVReport().render(classResult)
        #expect(text.hasPrefix("student_id,name,"))
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").unicodeScalars.contains("\n"), "every line ends in CRLF")
        #expect(text.contains(",\"Lee, \"\"Jr\"\"\","))
        #expect(ClassCSVReport.field("a\nb") == "\"a\nb\"")
        #expect(ClassCSVReport.field("plain") == "plain")
        #expect(ClassCSVReport.field("x\u{1B}y") == "x^[y")
        #expect(!text.hasPrefix("\u{FEFF}"))
        #expect(ClassCSVReport(byteOrderMark: true).render(classResult).hasPrefix("\u{FEFF}student_id"))
    }

    @Test func koreanAndHostileTextSurviveUTF8() throws {
        let records = try records()
        #expect(records[5][1] == "최 <지> & \"우\"")
        let data = ClassCSVReport().data(classResult)
        #expect(String(data: data, encoding: .utf8) != nil)
    }

    @Test(.enabled(if: ExternalTool.available("python3") || ExternalTool.required, "python3 not installed (apt-get install python3)"))
    func pythonCSVModuleReadsTheSameRecords() throws {
        let python = try ExternalTool.require("python3")
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("class.csv")
        try ClassCSVReport().data(classResult).write(to: file)
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline="", encoding="utf-8") as f:
                print(json.dumps(list(csv.reader(f, strict=True))))
            """
        let run = try ExternalTool.runBlocking(python, ["-c", script, file.path])
        #expect(run.status == 0, "\(run.output)")
        let parsed = try JSONDecoder().decode([[String]].self, from: Data(run.output.utf8))
        #expect(parsed == (try records()))
    }
}
