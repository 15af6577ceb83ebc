import Checks
import Foundation
import Testing

@testable import Reports

@Suite("Class report: JSON and merge")
struct ClassReportJSONTests {
    let classResult = ClassFixtures.sample()

    private func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func roundTrips() throws {
        let data = try ClassJSON.encode(classResult)
        let decoded = try ClassJSON.decode(data)
        #expect(decoded == classResult)
        #expect(try ClassJSON.encode(decoded) == data)
    }

    @Test func documentShape() throws {
        let json = try object(try ClassJSON.encode(classResult))
        #expect(json["schemaVersion"] as? Int == ClassResult.currentSchemaVersion)
        #expect(json["kind"] as? String == "labcheck.class")
        #expect(json["startedAt"] as? String == "2025-01-02T03:03:20.250Z")
        let statistics = try #require(json["statistics"] as? [String: Any])
        #expect(statistics["students"] as? Int == 7)
        #expect(statistics["graded"] as? Int == 5)
        #expect(statistics["errors"] as? Int == 2)
        #expect(statistics["fullMarks"] as? Int == 1)
        #expect(statistics["averagePercentage"] as? Double == 56)
        let steps = try #require(statistics["steps"] as? [[String: Any]])
        #expect(steps.map { $0["id"] as? String } == ClassFixtures.columns.map(\.id))
        #expect(steps.map { $0["passRate"] as? Double } == [0.8, 0.4, 0.4, 0.2, 0.8])
        let distribution = try #require(statistics["distribution"] as? [[String: Any]])
        #expect(distribution.count == 10)
        #expect(distribution.map { $0["count"] as? Int } == [1, 0, 0, 0, 1, 0, 1, 1, 0, 1])
        #expect(distribution.last?["from"] as? Int == 90 && distribution.last?["to"] as? Int == 100)

        let students = try #require(json["students"] as? [[String: Any]])
        #expect(students.map { $0["studentId"] as? String } == ["s-001", "s-002", "s-003", "s-004", "s-005", "s-006", "s-007"])
        #expect(students[3]["status"] as? String == "error")
        #expect(students[3]["summary"] is NSNull)
        let error = try #require(students[3]["error"] as? [String: Any])
        #expect(error["type"] as? String == "AssumeRoleFailed")
        #expect(students[0]["status"] as? String == "graded")
        // The summary is exactly what SummaryJSON writes for that student.
        let summary = try #require(students[1]["summary"] as? [String: Any])
        let expected = try object(try SummaryJSON.encode(try #require(classResult.students[1].result)))
        #expect(NSDictionary(dictionary: summary).isEqual(to: expected))
    }

    @Test func deterministic() throws {
        #expect(try ClassJSON.encode(classResult) == (try ClassJSON.encode(ClassFixtures.sample())))
        let text = ClassJSON.string(classResult)
        #expect(!text.contains("NaN"))
        // Sorted keys at the top level.
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == keys.sorted())
    }

    @Test func decodeErrorsNameTheProblem() throws {
        let summary = try SummaryJSON.encode(Fixtures.sample())
        #expect(throws: ReportJSONError.self) { try ClassJSON.decode(summary, source: "summary.json") }
        do {
            _ = try ClassJSON.decode(summary, source: "x/summary.json")
        } catch {
            #expect("\(error)".contains("x/summary.json"))
            #expect("\(error)".contains("not a LabCheck class.json"))
        }
        let future = try ClassJSON.encode(classResult).replacingSchemaVersion(with: 99)
        #expect(throws: ReportJSONError(.classReport, .unsupportedSchemaVersion(found: 99, supported: 1), source: "c.json")) {
            try ClassJSON.decode(future, source: "c.json")
        }
        #expect(throws: ReportJSONError.self) { try ClassJSON.decode(Data("[1,2]".utf8)) }
        #expect(throws: ReportJSONError.self) { try ClassJSON.read(from: URL(fileURLWithPath: "/nonexistent/class.json")) }
    }

    // MARK: - Merge

    @Test func mergedShardsEqualTheWholeRun() throws {
        let merged = try ClassResult.merged(ClassFixtures.shards())
        #expect(merged == classResult)
        #expect(merged.startedAt == ClassFixtures.classStarted)
        #expect(merged.finishedAt == ClassFixtures.classFinished)
    }

    @Test(arguments: [Language.en, Language.ko])
    func mergedShardsThroughJSONGiveByteIdenticalReports(language: Language) throws {
        // As `labcheck merge` does: each shard written as class.json, read back, merged, reports written again.
        let parts = try ClassFixtures.shards().map { try ClassJSON.decode(try ClassJSON.encode($0)) }
        let merged = try ClassResult.merged(parts.reversed())
        let writer = ClassReportWriter(language: language, hostname: "grader-1")
        for format in ClassReportFormat.allCases {
            let whole = try writer.data(classResult, format: format)
            let fromShards = try writer.data(merged, format: format)
            #expect(whole == fromShards, "\(format) differs after merging shards")
        }
        // And through the files the writer writes.
        let a = try Fixtures.temporaryDirectory()
        let b = try Fixtures.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        let first = try writer.write(classResult, to: a)
        let second = try writer.write(merged, to: b)
        #expect(first.map(\.lastPathComponent) == ["class.csv", "class.json", "class.junit.xml", "class.md", "class.html"])
        for (x, y) in zip(first, second) {
            #expect(try Data(contentsOf: x) == Data(contentsOf: y), "\(x.lastPathComponent) differs")
        }
    }

    @Test func mergeRefusesMismatches() throws {
        let shards = ClassFixtures.shards()
        #expect(throws: ClassMergeError.nothingToMerge) { try ClassResult.merged([]) }

        var otherLab = shards[1]
        otherLab.labId = "eks-lab"
        #expect(throws: ClassMergeError.differentLab(expected: "ecr-lab", found: "eks-lab", index: 1)) {
            try ClassResult.merged([shards[0], otherLab])
        }
        var otherPhase = shards[2]
        otherPhase.phase = .build
        #expect(throws: ClassMergeError.differentPhase(expected: .all, found: .build, index: 2)) {
            try ClassResult.merged([shards[0], shards[1], otherPhase])
        }
        var fewerSteps = shards[1]
        fewerSteps.steps.removeLast()
        do {
            _ = try ClassResult.merged([shards[0], fewerSteps])
            Issue.record("different step sets were merged")
        } catch let error as ClassMergeError {
            guard case .differentSteps = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("part 2"))
            #expect(error.description.contains("cleanup-cache-rule"))
        }
        var otherPoints = shards[1]
        otherPoints.steps[0].points += 1
        #expect(throws: ClassMergeError.self) { try ClassResult.merged([shards[0], otherPoints]) }
        var otherTitle = shards[1]
        otherTitle.labTitle = LocalizedText("Other")
        #expect(throws: ClassMergeError.differentLabTitle(labId: "ecr-lab", index: 1)) {
            try ClassResult.merged([shards[0], otherTitle])
        }
    }

    @Test func mergeRefusesDuplicateStudents() throws {
        let shards = ClassFixtures.shards()
        do {
            _ = try ClassResult.merged([shards[0], shards[1], shards[0]])
            Issue.record("a shard given twice was merged")
        } catch let error as ClassMergeError {
            #expect(error == .duplicateStudent(studentId: "s-001", firstIndex: 0, firstLine: 2, secondIndex: 2, secondLine: 2))
            #expect(error.description.contains("roster line 2"))
        }
        // The same student graded in two parts from different roster lines.
        var regraded = shards[1]
        regraded.students[0].studentId = "s-001"
        regraded.students[0].rosterLine = 40
        #expect(throws: ClassMergeError.duplicateStudent(studentId: "s-001", firstIndex: 0, firstLine: 2, secondIndex: 1, secondLine: 40)) {
            try ClassResult.merged([shards[0], regraded])
        }
        // A roster's own duplicate-id error row on another line is not a duplicate grade.
        var rosterDuplicate = shards[1]
        rosterDuplicate.students.append(StudentOutcome(
            studentId: "s-001", name: nil, accountId: nil, rosterLine: 41, result: nil,
            error: StudentError(.roster, message: "duplicate student_id 's-001' (first on line 2)")))
        let merged = try ClassResult.merged([shards[0], rosterDuplicate])
        #expect(merged.students.filter { $0.studentId == "s-001" }.map(\.rosterLine) == [2, 41])
    }

    @Test func statistics() {
        let statistics = ClassStatistics(classResult)
        #expect(statistics.averagePercentage == 56)
        #expect(statistics.step("image-nginx")?.passed == 2)
        #expect(statistics.step("image-nginx")?.failed == 3)
        #expect(statistics.step("cache-rule")?.error == 1)
        #expect(statistics.distribution.map(\.label).first == "0–9")
        #expect(statistics.distribution.map(\.label).last == "90–100")
        let empty = ClassResult(
            labId: "ecr-lab", labTitle: LocalizedText("x"), phase: .all, steps: ClassFixtures.columns, students: [],
            startedAt: ClassFixtures.classStarted, finishedAt: ClassFixtures.classFinished)
        #expect(ClassStatistics(empty).averagePercentage == nil)
        #expect(ClassStatistics(empty).steps.allSatisfy { $0.passRate == 0 })
    }
}

extension Data {
    fileprivate func replacingSchemaVersion(with version: Int) -> Data {
        let text = String(decoding: self, as: UTF8.self)
        return Data(text.replacingOccurrences(of: "\"schemaVersion\" : 1,\n  \"startedAt\"", with: "\"schemaVersion\" : \(version),\n  \"startedAt\"").utf8)
    }
}
