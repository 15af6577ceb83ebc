import ArgumentParser
import Checks
import Foundation
import Reports

/// What `grade` and `merge` print at the end, from the same statistics as the class reports,
/// and the exit status of a class.
enum ClassSummary {
    /// Error rows printed one per line; the rest are counted (the class reports list them all).
    static let listedErrors = 50

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
        let errorRows = result.students.filter { $0.error != nil }
        for student in errorRows.prefix(listedErrors) {
            lines.append("  \(student.studentId) (line \(student.rosterLine)): \(student.error?.description ?? "")")
        }
        if errorRows.count > listedErrors {
            let more = errorRows.count - listedErrors
            lines.append(language == .ko ? "  … 외 \(more)명 (class.csv와 class.html에 모두 있습니다)" : "  … and \(more) more (all of them are in class.csv and class.html)")
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
