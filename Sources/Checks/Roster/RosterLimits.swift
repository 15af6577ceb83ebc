/// How much of a roster one `labcheck grade` run accepts. Past these limits the file is refused
/// (exit 2) as soon as the limit is passed, so a wrong or runaway file costs neither minutes nor
/// gigabytes, and the error says which limit and what to do.
public struct RosterLimits: Sendable, Hashable {
    /// Student rows (data records, good or bad) in one file. 20,000 is far above a course's class
    /// (a few hundred) or a whole cohort, and keeps one run's memory and report sizes modest.
    public var maximumRows: Int
    /// Bad rows after which the file is not a usable roster (the wrong file, a shifted column, a
    /// spreadsheet export gone wrong): grading it would only produce error rows.
    public var maximumBadRows: Int
    /// Bytes of the file, checked before it is read: far more than `maximumRows` rows can take.
    public var maximumFileBytes: Int
    /// Bad rows quoted in the error when `maximumBadRows` is passed.
    public var problemsListed: Int

    public init(maximumRows: Int, maximumBadRows: Int, maximumFileBytes: Int, problemsListed: Int = 5) {
        self.maximumRows = maximumRows
        self.maximumBadRows = maximumBadRows
        self.maximumFileBytes = maximumFileBytes
        self.problemsListed = problemsListed
    }

    /// 20,000 rows, 1,000 bad rows, 32 MiB.
    public static let standard = RosterLimits(maximumRows: 20_000, maximumBadRows: 1_000, maximumFileBytes: 32 << 20)

    var tooManyRows: String {
        "the roster has more than \(maximumRows) student rows (the limit of one grade run); "
            + "split the class into roster files of at most \(maximumRows) rows, grade each into its own --output, "
            + "then join them with `labcheck merge`"
    }

    func tooManyBadRows(_ errors: [RosterRowError]) -> String {
        let listed = errors.prefix(problemsListed).map { "line \($0.line): \($0.problem)" }.joined(separator: "; ")
        return "more than \(maximumBadRows) rows cannot be used (the limit of bad rows), so this is not a usable roster "
            + "(the wrong file, or columns that do not match the header?); fix the file and grade again. First problems: \(listed)"
    }
}
