import Checks
import Foundation
import LabCheckTestSupport
import Testing

@Suite("Roster")
struct RosterTests {
    @Test("rows are read with their lines; quoted fields may hold commas, quotes and line breaks")
    func parsesRows() throws {
        let text = "student_id,name,account_id,profile\r\ns1,\"Kim, \"\"Jay\"\"\",111111111111,p1\r\ns2,\"Lee\nSun\",222222222222,p2\r\n"
        let roster = try RosterLoader.parse(text, source: "r.csv")
        #expect(roster.rowErrors.isEmpty)
        #expect(roster.entries.map(\.studentId) == ["s1", "s2"])
        #expect(roster.entries[0].name == "Kim, \"Jay\"")
        #expect(roster.entries[1].name == "Lee\nSun")
        #expect(roster.entries.map(\.line) == [2, 3])
        #expect(roster.entries[0].access == .profile("p1"))
        #expect(roster.entries[0].sessionName == "labcheck-s1")
    }

    @Test("bad rows are kept as errors with their line; the file stays usable")
    func badRows() throws {
        let text = """
        student_id,account_id,role_arn,profile,external_id
        a,111111111111,arn:aws:iam::111111111111:role/R,,x
        b,11111111111x,arn:aws:iam::111111111111:role/R,,
        c,222222222222,,,
        d,333333333333,arn:aws:iam::444444444444:role/R,,
        a,555555555555,,prof,
        e,666666666666,,prof,ext
        """
        let roster = try RosterLoader.parse(text, source: "r.csv")
        #expect(roster.entries.map(\.studentId) == ["a"])
        #expect(roster.entries[0].access == .role(arn: "arn:aws:iam::111111111111:role/R", externalId: "x"))
        let problems = Dictionary(uniqueKeysWithValues: roster.rowErrors.map { ($0.line, $0.problem) })
        #expect(problems[3]?.contains("not a 12-digit AWS account id") == true)
        #expect(problems[4]?.contains("neither role_arn nor profile") == true)
        #expect(problems[5]?.contains("is in account 444444444444, not the student's account 333333333333") == true)
        #expect(problems[6]?.contains("duplicate student_id 'a' (first on line 2)") == true)
        #expect(problems[7]?.contains("external_id is only used with role_arn") == true)
    }

    @Test("a header with an unknown or missing column makes the file unusable")
    func badHeader() {
        #expect(throws: RosterFileError.self) { try RosterLoader.parse("student_id,account_id,role_arn,team\n", source: "r.csv") }
        #expect(throws: RosterFileError.self) { try RosterLoader.parse("student_id,role_arn\n", source: "r.csv") }
        #expect(throws: RosterFileError.self) { try RosterLoader.parse("", source: "r.csv") }
        #expect(throws: RosterFileError.self) { try RosterLoader.parse("student_id,account_id,profile\ns1,\"unclosed,111111111111,p\n", source: "r.csv") }
    }

    @Test("shards split the rows round-robin and together cover every row once")
    func shards() throws {
        var text = "student_id,account_id,profile\n"
        for number in 1...10 { text += "s\(number),\(String(repeating: "1", count: 12)),p\n" }
        text += "bad,1,p\n"
        let roster = try RosterLoader.parse(text, source: "r.csv")
        let parts = (0..<3).map { roster.shard(index: $0, of: 3) }
        #expect(parts.map { $0.entries.count + $0.rowErrors.count } == [4, 4, 3])
        let lines = parts.flatMap { $0.entries.map(\.line) + $0.rowErrors.map(\.line) }.sorted()
        #expect(lines == Array(2...12))
    }
}

@Suite("Roster limits")
struct RosterLimitTests {
    static let header = "student_id,name,account_id,role_arn\n"
    static func goodRow(_ number: Int) -> String {
        let account = String(format: "%012d", 100_000_000_000 + number)
        return "s\(number),Student \(number),\(account),arn:aws:iam::\(account):role/LabCheckGrader\n"
    }
    static func badRow(_ number: Int) -> String { "b\(number),Bad \(number),12x,arn:aws:iam::12x:role/R\n" }

    /// The error `parse` throws with the standard limits, if any (for use off the pool).
    static func refusalError(_ text: String) -> RosterFileError? {
        do {
            _ = try RosterLoader.parse(text, source: "class.csv")
            return nil
        } catch {
            return error as? RosterFileError
        }
    }

    /// The error `parse` throws, or a recorded issue.
    func refusal(_ text: String, limits: RosterLimits = .standard) -> RosterFileError? {
        do {
            let roster = try RosterLoader.parse(text, source: "class.csv", limits: limits)
            Issue.record("accepted \(roster.entries.count) students and \(roster.rowErrors.count) bad rows")
            return nil
        } catch let error as RosterFileError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test("100,000 bad rows are refused at the first bad row past the limit, listing the first problems with their lines")
    func tooManyBadRows() async throws {
        // Off the cooperative pool: building and reading the text takes a moment in a debug build.
        let text = try await offPool { Self.header + (1...100_000).map(Self.badRow).joined() }
        let error = try #require(refusal(text))
        #expect(error.file == "class.csv")
        #expect(error.line == 1 + RosterLimits.standard.maximumBadRows + 1)
        #expect(error.description.hasPrefix("class.csv:1002: more than 1000 rows cannot be used"))
        #expect(error.problem.contains("line 2: account_id '12x' is not a 12-digit AWS account id"))
        #expect(error.problem.contains("line 6: "))
        #expect(!error.problem.contains("line 7: "), "only the first few problems are listed")
        #expect(error.problem.contains("fix the file"))
    }

    @Test("more student rows than the limit are refused at the first row past it, saying what to do")
    func tooManyRows() async throws {
        let text = try await offPool { Self.header + (1...20_001).map(Self.goodRow).joined() }
        let error = try #require(try await offPool { Self.refusalError(text) })
        #expect(error.line == 20_002)
        #expect(error.problem.contains("more than 20000 student rows"))
        #expect(error.problem.contains("labcheck merge"))
        // Exactly the limit is fine.
        let limits = RosterLimits(maximumRows: 3, maximumBadRows: 1, maximumFileBytes: 1 << 20)
        let three = Self.header + (1...3).map(Self.goodRow).joined()
        #expect(try RosterLoader.parse(three, source: "c.csv", limits: limits).entries.count == 3)
        #expect(refusal(three + Self.goodRow(4), limits: limits)?.line == 5)
    }

    @Test("parsing stops at the limit: what follows it is never read")
    func stopsAtTheLimit() throws {
        let limits = RosterLimits(maximumRows: 100, maximumBadRows: 2, maximumFileBytes: 1 << 20)
        // An unclosed quote after the third bad row: reading on would report it instead.
        let text = Self.header + (1...3).map(Self.badRow).joined() + "s9,\"unclosed,111111111111,x\n"
        let error = try #require(refusal(text, limits: limits))
        #expect(error.line == 4)
        #expect(error.problem.contains("more than 2 rows cannot be used"))
    }

    @Test("a few bad rows keep the file usable: they become error rows")
    func fewBadRowsAreKept() throws {
        let text = Self.header + Self.goodRow(1) + (1...5).map(Self.badRow).joined() + Self.goodRow(2)
        let roster = try RosterLoader.parse(text, source: "class.csv")
        #expect(roster.entries.map(\.studentId) == ["s1", "s2"])
        #expect(roster.rowErrors.map(\.line) == [3, 4, 5, 6, 7])
    }

    @Test("a file larger than any roster is refused before it is read, naming the file and the limit")
    func fileTooLarge() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("roster-limit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("class.csv")
        try Data((Self.header + (1...50).map(Self.goodRow).joined()).utf8).write(to: file)
        let limits = RosterLimits(maximumRows: 10, maximumBadRows: 1, maximumFileBytes: 1_000)
        do {
            _ = try RosterLoader.load(contentsOf: file, limits: limits)
            Issue.record("a file over the size limit was read")
        } catch let error as RosterFileError {
            #expect(error.file == file.path)
            #expect(error.problem.contains("limit 1000 bytes"))
        }
        #expect(try RosterLoader.load(contentsOf: file, limits: .standard).entries.count == 50)
    }
}
