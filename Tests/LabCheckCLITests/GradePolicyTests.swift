import Checks
import FakeECR
import Foundation
import LabCheckTestSupport
import Reports
import Testing

/// `labcheck grade --policy` over the class fixture's trails, its five class reports, and `labcheck
/// explain` on the class output folder (no API call).
extension GradeTests {
    static let policyText = """
        schemaVersion: 1
        deadline: 2025-04-02T08:00:00Z
        lateUntil: 2025-04-04T08:00:00Z
        latePenaltyPerDay: 10
        passScore: 60
        waivers:
          - { student: s01, step: repo-aws-lbc, reason: "account opened late (ticket LAB-7)", expires: 2099-01-01 }
          - { student: s16, step: cache-rule, reason: "an old exception", expires: 2025-01-01 }
        """

    /// s01 fresh (a waiver), s15 cleaned up with history and its own deadline, s16 partly cleaned up with history (late, partial).
    static func policyRoster() throws -> String {
        let lines = try String(contentsOf: classDirectory.appendingPathComponent("roster.csv"), encoding: .utf8).split(separator: "\n")
        var roster = [lines[0] + ",deadline"]
        for line in lines.dropFirst() {
            if line.hasPrefix("s01,") || line.hasPrefix("s16,") { roster.append(line + ",") }
            if line.hasPrefix("s15,") { roster.append(line + ",2025-04-03T00:00:00Z") }
        }
        return roster.joined(separator: "\n") + "\n"
    }

    @Test("grade --policy: late, partial and waived steps shown distinctly in every class report; explain answers from class.json")
    func gradeWithPolicy() async throws {
        try await withClass { _, environment, home in
            let policy = home.appendingPathComponent("policy.yaml")
            try Data(Self.policyText.utf8).write(to: policy)
            let roster = home.appendingPathComponent("roster.csv")
            try Data(try Self.policyRoster().utf8).write(to: roster)
            let output = home.appendingPathComponent("class")
            let run = try await LabCheckBinary.run(
                ["grade", "--since", Self.since, "--pins", RepositoryFiles.fixturePins.path, "--roster", roster.path, "--policy", policy.path,
                 "--output", output.path, "--lang", "en"], environment: environment)
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")

            let classResult = try ClassJSON.read(from: output.appendingPathComponent("class.json"))
            func step(_ student: String, _ id: String) throws -> StepResult {
                try #require(classResult.students.first { $0.studentId == student }?.result?.steps.first { $0.id == id }, "\(student) \(id)")
            }
            let s15 = try #require(classResult.students.first { $0.studentId == "s15" }?.result)
            #expect(s15.percentage == 100, "the student's own deadline (roster) is after the work")
            #expect(s15.policy?.deadlineSource == .roster)
            #expect(try step("s16", "cache-rule").earned == 13)
            #expect(try step("s16", "cache-rule").policy?.late?.daysLate == 1)
            let partial = try step("s16", "cleanup-repositories")
            #expect(partial.isPartial)
            #expect(partial.earned == 9, "11 of 15 for 3 of 4 repositories, less 10% for a day late")
            #expect(try step("s01", "repo-aws-lbc").status == .waived)
            #expect(classResult.students.first { $0.studentId == "s16" }?.result?.warnings.map(\.code) == [.waiverExpired])

            // CSV: the step cells say late, partial and waived.
            let csv = try String(contentsOf: output.appendingPathComponent("class.csv"), encoding: .utf8)
            let rows = Dictionary(uniqueKeysWithValues: csv.split(separator: "\r\n").map { (String($0.prefix(3)), String($0)) })
            #expect(rows["s16"]?.contains("passed late 1d -10%") == true, "\(rows["s16"] ?? "")")
            #expect(rows["s16"]?.contains("failed late 1d -10% partial 3/4") == true, "\(rows["s16"] ?? "")")
            #expect(rows["s16"]?.contains("waiverExpired") == true)
            #expect(rows["s01"]?.contains(",waived,") == true, "\(rows["s01"] ?? "")")
            // JSON: the rules travel with each step; the statistics count them.
            let json = try String(contentsOf: output.appendingPathComponent("class.json"), encoding: .utf8)
            #expect(json.contains("\"partial\" : 1"))
            #expect(json.contains("partial credit: 3 of 4 conditions met"))
            // HTML: marked cells.
            let html = try String(contentsOf: output.appendingPathComponent("class.html"), encoding: .utf8)
            #expect(html.contains("class=\"mark waived\""))
            #expect(html.contains("class=\"mark passed late\""))
            #expect(html.contains("class=\"mark failed late partial\""))
            // Markdown: the cells and a section with what decided each.
            let markdown = try String(contentsOf: output.appendingPathComponent("class.md"), encoding: .utf8)
            #expect(markdown.contains("## Late, partial and waived"))
            #expect(markdown.contains("❌ late 1d −10%, partial 3/4"), "\(markdown)")
            #expect(markdown.contains("🔖"))
            // JUnit: properties, and still valid against both schemas.
            let junit = output.appendingPathComponent("class.junit.xml")
            let xml = try String(contentsOf: junit, encoding: .utf8)
            #expect(xml.contains("name=\"step.cleanup-repositories.partial\" value=\"true\""))
            #expect(xml.contains("name=\"step.repo-aws-lbc.waiver\" value=\"points\""))
            #expect(xml.contains("name=\"step.cache-rule.late\" value=\"1d -10%\""))
            if ExternalTool.available("xmllint") || ExternalTool.required {
                let xmllint = try ExternalTool.require("xmllint")
                for schema in ["ant-junit.xsd", "jenkins-junit-10.xsd"] {
                    let xsd = RepositoryFiles.root.appendingPathComponent("Tests/ReportsTests/Schemas/\(schema)").path
                    let check = try ExternalTool.runBlocking(xmllint, ["--noout", "--schema", xsd, junit.path])
                    #expect(check.status == 0, "class.junit.xml does not validate against \(schema): \(check.output)")
                }
            }

            // explain, from the class output folder: the partial step and a late one.
            let explainPartial = try await LabCheckBinary.run(
                ["explain", "--from", output.path, "--student", "s16", "--step", "cleanup-repositories", "--lang", "en"], environment: environment)
            #expect(explainPartial.status == 0, "\(explainPartial.stderr)")
            for text in ["Status: Failed [late 1d −10%, partial 3/4] · Points 9/15", "Checked: repositoriesAbsent: public.ecr.aws/eks/aws-load-balancer-controller",
                         "✗ public-ecr-9641173/nginx/nginx  (missing)", "CloudTrail: DeleteRepository 2025-04-02T09:30:12Z",
                         "1. partial credit: 3 of 4 conditions met → 11/15 (missing: public-ecr-9641173/nginx/nginx)",
                         "2. late: CloudTrail event DeleteRepository at 2025-04-02T09:30:12Z, 1 day(s) after the deadline 2025-04-02T08:00:00Z"] {
                #expect(explainPartial.stdout.contains(text), "missing '\(text)' in:\n\(explainPartial.stdout)")
            }
            let explainLate = try await LabCheckBinary.run(
                ["explain", "--from", output.path, "--student", "s16", "--step", "cache-rule", "--lang", "en"], environment: environment)
            #expect(explainLate.status == 0, "\(explainLate.stderr)")
            for text in ["Status: Passed [late 1d −10%] · Points 13/15", "Evidence: trail", "CreatePullThroughCacheRule 2025-04-02T08:33:25Z",
                         "Work done at: 2025-04-02T08:33:25Z (trail)", "15 → 13", "Grading policy: \(policy.path)",
                         "expired at 2025-01-01T23:59:59Z and was ignored"] {
                #expect(explainLate.stdout.contains(text), "missing '\(text)' in:\n\(explainLate.stdout)")
            }
            // A student's own folder is a check output folder: explain reads its summary.json.
            let fromStudent = try await LabCheckBinary.run(
                ["explain", "--from", output.appendingPathComponent("students/s01").path, "--step", "repo-aws-lbc", "--lang", "en"], environment: environment)
            #expect(fromStudent.stdout.contains("Status: Waived"), "\(fromStudent.stdout)\(fromStudent.stderr)")
            #expect(fromStudent.stdout.contains("account opened late (ticket LAB-7)"))
            let noStudent = try await LabCheckBinary.run(["explain", "--from", output.path, "--step", "cache-rule"], environment: environment)
            #expect(noStudent.status == 2)
            #expect(noStudent.stderr.contains("name the student with --student"), "\(noStudent.stderr)")
        }
    }

    @Test("a bad policy file or roster deadline is refused before anyone is graded, naming file, line and field")
    func badPolicyRefused() async throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let policy = home.appendingPathComponent("bad.yaml")
        try Data("schemaVersion: 1\ndeadline: tomorrow\n".utf8).write(to: policy)
        let environment = LabCheckBinary.environment(home: home)
        let check = try await LabCheckBinary.run(["check", "--policy", policy.path], environment: environment)
        #expect(check.status == 2)
        #expect(check.stderr.contains("\(policy.path):2:11: deadline: 'tomorrow' is not an ISO 8601 time with a zone"), "\(check.stderr)")
        let roster = home.appendingPathComponent("roster.csv")
        try Data("student_id,account_id,profile,deadline\ns01,100000000001,p,friday\n".utf8).write(to: roster)
        let good = home.appendingPathComponent("good.yaml")
        try Data("schemaVersion: 1\nwaivers:\n  - { student: s99, step: repo-nginx, reason: r, expires: 2099-01-01 }\n".utf8).write(to: good)
        let grade = try await LabCheckBinary.run(["grade", "--roster", roster.path, "--policy", good.path], environment: environment)
        #expect(grade.status == 2)
        #expect(grade.stderr.contains("\(good.path):3"), "\(grade.stderr)")
        #expect(grade.stderr.contains("student 's99' is not in the roster"), "\(grade.stderr)")
        let parsed = try RosterLoader.load(contentsOf: roster)
        #expect(parsed.rowErrors.first?.description == "line 2: deadline 'friday' is not an ISO 8601 time with a zone, such as 2026-12-04T18:00:00+09:00 or 2026-12-04T09:00:00Z")
    }
}
