import Foundation

/// How to reach one student's account.
public enum StudentAccess: Sendable, Hashable {
    /// Assume this role through STS (session name `labcheck-<student_id>`).
    case role(arn: String, externalId: String?)
    /// Use this named profile of the instructor's AWS config.
    case profile(String)
}

/// One student of a class roster.
public struct RosterEntry: Sendable, Hashable {
    public var studentId: String
    public var name: String?
    public var accountId: String
    public var access: StudentAccess
    public var region: String?
    /// The student's pull-through cache prefix, when the class assigns them.
    public var cachePrefix: String?
    /// Line of the roster file.
    public var line: Int
    /// The student's own deadline (`deadline` column), which overrides the grading policy's.
    public var deadline: Date?

    public init(
        studentId: String, name: String?, accountId: String, access: StudentAccess, region: String?, cachePrefix: String?, line: Int,
        deadline: Date? = nil
    ) {
        self.deadline = deadline
        self.studentId = studentId
        self.name = name
        self.accountId = accountId
        self.access = access
        self.region = region
        self.cachePrefix = cachePrefix
        self.line = line
    }

    /// STS session name: `labcheck-<student_id>`, limited to STS's character set and 64 characters.
    public var sessionName: String {
        let allowed = studentId.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_+=,.@-".contains($0)) ? $0 : "-" }
        return String(("labcheck-" + String(allowed)).prefix(64))
    }
}

/// A roster row that cannot be graded, with its line and why.
public struct RosterRowError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    /// The student id of the row, when it has one.
    public var studentId: String?
    public var problem: String

    public var description: String { "line \(line): \(problem)" }
}

/// A class roster: the students to grade and the rows that could not be read.
public struct Roster: Sendable, Hashable {
    public var source: String
    public var entries: [RosterEntry]
    public var rowErrors: [RosterRowError]

    public init(source: String, entries: [RosterEntry], rowErrors: [RosterRowError]) {
        self.source = source
        self.entries = entries
        self.rowErrors = rowErrors
    }

    /// Every row (students and bad rows) in file order, for sharding: a shard takes every N-th row.
    public var rowLines: [Int] { (entries.map(\.line) + rowErrors.map(\.line)).sorted() }

    /// The part of the roster shard `index` (0-based) of `count` grades: every `count`-th row.
    public func shard(index: Int, of count: Int) -> Roster {
        let lines = rowLines
        var mine: Set<Int> = []
        for (position, line) in lines.enumerated() where position % count == index { mine.insert(line) }
        return Roster(source: source, entries: entries.filter { mine.contains($0.line) }, rowErrors: rowErrors.filter { mine.contains($0.line) })
    }
}
