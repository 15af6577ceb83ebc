import Checks
import Foundation

@testable import Reports

/// A representative class for the class-report tests: full marks, partial, all failed, an error
/// row (AssumeRoleFailed), a roster error, hostile and Korean text, names that look like formulas.
enum ClassFixtures {
    static let classStarted = Date(timeIntervalSince1970: 1_735_787_000.25)  // 2025-01-02T03:03:20.250Z
    static let classFinished = Date(timeIntervalSince1970: 1_735_787_090.5)

    /// Lab id, title and step columns of `Fixtures.sample()` (5 steps, 100 points, build and cleanup).
    static var columns: [StepColumn] {
        Fixtures.sample().steps.map { StepColumn(id: $0.id, phase: $0.phase, title: $0.title, points: $0.points) }
    }

    static let hostileText = "<script>alert(\"x\")</script> & 'q' 태그가 없습니다 \u{1B}[31m"

    /// One student's result: the sample's steps with the given statuses (points earned only when passed).
    static func result(_ studentId: String, account: String, statuses: [StepStatus], offset: Double) -> LabResult {
        var result = Fixtures.sample()
        result.studentId = studentId
        result.accountId = account
        result.startedAt = classStarted.addingTimeInterval(offset)
        result.finishedAt = classStarted.addingTimeInterval(offset + 1.5)
        for index in result.steps.indices {
            let status = statuses[index]
            result.steps[index].status = status
            result.steps[index].earned = status == .passed ? result.steps[index].points : 0
            result.steps[index].errorType = status == .error ? "AccessDeniedException" : nil
            if status == .passed {
                result.steps[index].message = LocalizedText(ko: "확인됨: \(result.steps[index].id)", en: "Verified: \(result.steps[index].id)")
            } else {
                result.steps[index].evidence = nil
                result.steps[index].passedEarlier = false
                result.steps[index].source = nil
            }
        }
        return result
    }

    static func sample() -> ClassResult {
        var hostile = result("s-005", account: "555555555555", statuses: [.passed, .failed, .passed, .skipped, .passed], offset: 12)
        hostile.steps[1].message = LocalizedText(ko: "메시지 \(hostileText)", en: "message \(hostileText)\nsecond line")
        hostile.steps[0].title = LocalizedText(ko: "제목 <b>&amp;", en: "title <b>&amp;")

        let students = [
            StudentOutcome(
                studentId: "s-001", name: "김민수", accountId: "111111111111", rosterLine: 2,
                result: result("s-001", account: "111111111111", statuses: [.passed, .passed, .passed, .passed, .passed], offset: 1),
                error: nil),
            StudentOutcome(
                studentId: "s-002", name: "Lee, \"Jr\"", accountId: "222222222222", rosterLine: 3,
                result: result("s-002", account: "222222222222", statuses: [.passed, .failed, .error, .skipped, .passed], offset: 3),
                error: nil),
            StudentOutcome(
                studentId: "s-003", name: "=HYPERLINK(\"http://evil.example\",\"click\")", accountId: "333333333333", rosterLine: 4,
                result: result("s-003", account: "333333333333", statuses: [.failed, .failed, .failed, .failed, .failed], offset: 5),
                error: nil),
            StudentOutcome(
                studentId: "s-004", name: "Park Ji-woo", accountId: "444444444444", rosterLine: 5, result: nil,
                error: StudentError(
                    .assumeRoleFailed,
                    message: "AccessDenied: User arn:aws:sts::999:assumed-role/grader is not authorized to perform sts:AssumeRole on arn:aws:iam::444444444444:role/LabGrader")),
            StudentOutcome(studentId: "s-005", name: "최 <지> & \"우\"", accountId: "555555555555", rosterLine: 6, result: hostile, error: nil),
            StudentOutcome(
                studentId: "s-006", name: "+Plus @at -minus", accountId: "666666666666", rosterLine: 7,
                result: result("s-006", account: "666666666666", statuses: [.passed, .passed, .failed, .skipped, .passed], offset: 7),
                error: nil),
            StudentOutcome(
                studentId: "s-007", name: nil, accountId: nil, rosterLine: 8, result: nil,
                error: StudentError(.roster, message: "class.csv:8: account_id '12x' is not 12 digits")),
        ]
        return ClassResult(
            labId: "ecr-lab", labTitle: LocalizedText(ko: "ECR 실습", en: "ECR lab"), phase: .all, steps: columns,
            students: students.reversed(), startedAt: classStarted, finishedAt: classFinished)
    }

    /// A class of `count` students cycling through graded rows of several kinds and error rows
    /// (every seventh), for the streaming writers.
    static func large(_ count: Int) -> ClassResult {
        let patterns: [[StepStatus]] = [
            [.passed, .passed, .passed, .passed, .passed], [.passed, .failed, .error, .skipped, .passed],
            [.failed, .failed, .failed, .failed, .failed], [.passed, .passed, .failed, .skipped, .passed],
        ]
        let students = (0..<count).map { number -> StudentOutcome in
            let id = String(format: "s%05d", number)
            let account = String(format: "%012d", 100_000_000_000 + number)
            guard number % 7 != 6 else {
                return StudentOutcome(
                    studentId: id, name: "Student \(number)", accountId: account, rosterLine: number + 2, result: nil,
                    error: StudentError(.assumeRoleFailed, message: "AccessDenied: not authorized to assume the role of \(id)"))
            }
            return StudentOutcome(
                studentId: id, name: "학생 \(number) <\(number)>", accountId: account, rosterLine: number + 2,
                result: result(id, account: account, statuses: patterns[number % patterns.count], offset: Double(number % 60)), error: nil)
        }
        return ClassResult(
            labId: "ecr-lab", labTitle: LocalizedText(ko: "ECR 실습", en: "ECR lab"), phase: .all, steps: columns,
            students: students, startedAt: classStarted, finishedAt: classFinished)
    }

    /// `sample()` split into three shards (every third roster row), whose start/finish cover the whole run.
    static func shards() -> [ClassResult] {
        let whole = sample()
        return (0..<3).map { shard in
            let students = whole.students.enumerated().filter { $0.offset % 3 == shard }.map(\.element)
            let started = shard == 1 ? classStarted : classStarted.addingTimeInterval(Double(shard) + 0.5)
            let finished = shard == 2 ? classFinished : classFinished.addingTimeInterval(-Double(shard) - 1)
            return ClassResult(
                labId: whole.labId, labTitle: whole.labTitle, phase: whole.phase, steps: whole.steps, students: students,
                startedAt: started, finishedAt: finished)
        }
    }

    /// A tiny RFC 4180 reader: records of fields, quoted fields with doubled quotes and line breaks.
    static func parseCSV(_ text: String) throws -> [[String]] {
        struct Malformed: Error, CustomStringConvertible { var description: String }
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var quoted = false
        var atFieldStart = true
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        scalars.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        guard let next = scalars.first, next == "," || next == "\r" else {
                            throw Malformed(description: "text after a closing quote in field \(record.count + 1) of record \(records.count + 1)")
                        }
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case "\"":
                throw Malformed(description: "a quote inside an unquoted field in record \(records.count + 1)")
            case ",":
                record.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                guard scalars.popFirst() == "\n" else { throw Malformed(description: "CR without LF in record \(records.count + 1)") }
                record.append(field)
                records.append(record)
                record = []
                field = ""
                atFieldStart = true
            case "\n":
                throw Malformed(description: "bare LF (records must end in CRLF) in record \(records.count + 1)")
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
            }
        }
        guard !quoted else { throw Malformed(description: "unterminated quoted field") }
        guard record.isEmpty, field.isEmpty else { throw Malformed(description: "last record not ended by CRLF") }
        return records
    }
}
