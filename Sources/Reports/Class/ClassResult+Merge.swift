import Checks
import Foundation

/// Why class results (e.g. the `class.json` of several shards) cannot be merged into one.
public enum ClassMergeError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case nothingToMerge
    /// Part `index` (0-based) grades another lab than part 0.
    case differentLab(expected: String, found: String, index: Int)
    case differentLabTitle(labId: String, index: Int)
    case differentPhase(expected: PhaseSelection, found: PhaseSelection, index: Int)
    /// Part `index` has other step columns (ids, order, phases, titles or points) than part 0.
    case differentSteps(expected: [String], found: [String], index: Int)
    /// The same roster row is in two parts (overlapping shards, or one shard given twice),
    /// or one student id is graded in two parts.
    case duplicateStudent(studentId: String, firstIndex: Int, firstLine: Int, secondIndex: Int, secondLine: Int)

    public var description: String {
        switch self {
        case .nothingToMerge:
            return "nothing to merge: no class results were given"
        case .differentLab(let expected, let found, let index):
            return "cannot merge: part \(index + 1) grades lab '\(found)', but part 1 grades lab '\(expected)'"
        case .differentLabTitle(let labId, let index):
            return "cannot merge: part \(index + 1) has another title for lab '\(labId)' than part 1 (graded with another version of the check spec?)"
        case .differentPhase(let expected, let found, let index):
            return "cannot merge: part \(index + 1) grades phase '\(found.rawValue)', but part 1 grades phase '\(expected.rawValue)'"
        case .differentSteps(let expected, let found, let index):
            let detail = expected == found
                ? "the same step ids with other titles, phases or points"
                : "steps [\(found.joined(separator: ", "))] instead of [\(expected.joined(separator: ", "))]"
            return "cannot merge: part \(index + 1) has \(detail) (graded with another version of the check spec?)"
        case .duplicateStudent(let studentId, let firstIndex, let firstLine, let secondIndex, let secondLine):
            let what = firstLine == secondLine
                ? "roster line \(firstLine) (student '\(studentId)') is in part \(firstIndex + 1) and in part \(secondIndex + 1): do the shards overlap, or was one given twice?"
                : "student '\(studentId)' is graded in part \(firstIndex + 1) (roster line \(firstLine)) and in part \(secondIndex + 1) (roster line \(secondLine))"
            return "cannot merge: \(what)"
        }
    }

    public var errorDescription: String? { description }
}

extension ClassResult {
    /// One class result holding the students of every part, as if graded in one run: same lab,
    /// phase and step columns required; students sorted by id (then roster line); `startedAt` is
    /// the earliest start and `finishedAt` the latest finish.
    ///
    /// A roster row (student id and line) may be in one part only, and a student id may be graded
    /// (have a result) in one part only; an error row may repeat an id on another line (the roster's
    /// own "duplicate student_id" error row).
    public static func merged(_ parts: [ClassResult]) throws -> ClassResult {
        guard let first = parts.first else { throw ClassMergeError.nothingToMerge }
        struct Seen {
            var index: Int
            var line: Int
            var graded: Bool
        }
        var rows: [String: [Seen]] = [:]
        var students: [StudentOutcome] = []
        for (index, part) in parts.enumerated() {
            if index > 0 {
                guard part.labId == first.labId else {
                    throw ClassMergeError.differentLab(expected: first.labId, found: part.labId, index: index)
                }
                guard part.labTitle == first.labTitle else {
                    throw ClassMergeError.differentLabTitle(labId: first.labId, index: index)
                }
                guard part.phase == first.phase else {
                    throw ClassMergeError.differentPhase(expected: first.phase, found: part.phase, index: index)
                }
                guard part.steps == first.steps else {
                    throw ClassMergeError.differentSteps(expected: first.steps.map(\.id), found: part.steps.map(\.id), index: index)
                }
            }
            for student in part.students {
                let graded = student.result != nil
                for seen in rows[student.studentId] ?? [] where seen.index != index {
                    if seen.line == student.rosterLine || (seen.graded && graded) {
                        throw ClassMergeError.duplicateStudent(
                            studentId: student.studentId, firstIndex: seen.index, firstLine: seen.line,
                            secondIndex: index, secondLine: student.rosterLine)
                    }
                }
                rows[student.studentId, default: []].append(Seen(index: index, line: student.rosterLine, graded: graded))
                students.append(student)
            }
        }
        let startedAt = parts.map(\.startedAt).min() ?? first.startedAt
        let finishedAt = parts.map(\.finishedAt).max() ?? first.finishedAt
        return ClassResult(
            labId: first.labId, labTitle: first.labTitle, phase: first.phase, steps: first.steps, students: students,
            startedAt: startedAt, finishedAt: finishedAt)
    }
}
