import ArgumentParser
import Checks
import Foundation
import Reports

/// What `grade` and `merge` print at the end, from the same statistics as the class reports,
/// and the exit status of a class.
enum ClassSummary {
    static func render(_ result: ClassResult, language: Language) -> String {
        let statistics = ClassStatistics(result)
        let average = String(format: "%.1f", statistics.averagePercentage ?? 0)
        var lines: [String] = []
        switch language {
        case .ko:
            lines.append("\(result.labTitle.ko): 학생 \(statistics.students)명, 채점 \(statistics.graded)명, 오류 \(statistics.errors)명, 평균 \(average)%, 만점 \(statistics.fullMarks)명")
        case .en:
            lines.append("\(result.labTitle.en): \(statistics.students) students, \(statistics.graded) graded, \(statistics.errors) errors, average \(average)%, full marks \(statistics.fullMarks)")
        }
        for student in result.students where student.error != nil {
            lines.append("  \(student.studentId) (line \(student.rosterLine)): \(student.error?.description ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    static func exitStatus(_ result: ClassResult) -> ExitCode {
        let errors = result.students.compactMap(\.error)
        if errors.contains(where: \.kind.isBadInput) { return ExitStatus.badInput }
        if !errors.isEmpty { return ExitStatus.couldNotEvaluate }
        return ExitStatus.passed
    }
}
