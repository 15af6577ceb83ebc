import Checks
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
