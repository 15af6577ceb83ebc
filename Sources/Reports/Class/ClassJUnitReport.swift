import Checks
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `class.junit.xml`: one `<testsuite>` per roster row (name = student id, package = lab id), built
/// by `JUnitReport` from the student's whole `LabResult` (one testcase per step, as in the
/// single-student report), with the properties `name`, `account` and `score` added. An error row
/// becomes a suite with one testcase, `grading`, holding an `<error>` whose type is the
/// `StudentError`'s type and whose message is its message; its timestamp is the class's `startedAt`.
/// Valid against the Ant and Jenkins xUnit schemas, as `JUnitReport` is.
public struct ClassJUnitReport: Sendable {
    /// The step id of an error row's only testcase.
    public static let errorStepId = "grading"

    public var language: Language
    /// `testsuite@hostname`; this machine's name when nil.
    public var hostname: String?

    public init(language: Language, hostname: String? = nil) {
        self.language = language
        self.hostname = hostname
    }

    /// The suites, one per student, in `ClassResult.students` order.
    public func suites(_ classResult: ClassResult) -> [JUnitReport.Suite] {
        classResult.students.map { student in
            JUnitReport.Suite(name: student.studentId, package: classResult.labId, result: labResult(student, in: classResult))
        }
    }

    public func render(_ classResult: ClassResult) -> String {
        let report = JUnitReport(language: language, hostname: hostname)
        let document = report.document(suites: suites(classResult))
        let elements = document.rootElement()?.elements(forName: "testsuite") ?? []
        for (student, element) in zip(classResult.students, elements) {
            addProperties(of: student, to: element)
        }
        return document.xmlString(options: [.nodePrettyPrint]) + "\n"
    }

    public func data(_ classResult: ClassResult) -> Data {
        Data(render(classResult).utf8)
    }

    /// The student's result, or for an error row a one-step result whose step is the error.
    func labResult(_ student: StudentOutcome, in classResult: ClassResult) -> LabResult {
        if var result = student.result {
            if result.studentId == nil { result.studentId = student.studentId }
            if result.accountId == nil { result.accountId = student.accountId }
            return result
        }
        let labels = ClassReportLabels(language)
        let error = student.error ?? StudentError(.evaluation(code: "NotGraded"), message: labels.notGraded)
        let step = StepResult(
            id: Self.errorStepId, phase: classResult.steps.first?.phase ?? .build,
            title: LocalizedText(ko: ClassReportLabels(.ko).couldNotGrade, en: ClassReportLabels(.en).couldNotGrade),
            hint: nil, points: 0, earned: 0, status: .error, message: LocalizedText(error.message), errorType: error.type)
        return LabResult(
            labId: classResult.labId, labTitle: classResult.labTitle, accountId: student.accountId, region: nil,
            studentId: student.studentId, phase: classResult.phase, startedAt: classResult.startedAt,
            finishedAt: classResult.startedAt, steps: [step], apiCalls: 0)
    }

    private func addProperties(of student: StudentOutcome, to suite: XMLElement) {
        guard let properties = suite.elements(forName: "properties").first else { return }
        let existing = Set(properties.elements(forName: "property").compactMap { $0.attribute(forName: "name")?.stringValue })
        var pairs: [(String, String)] = []
        if let name = student.name { pairs.append(("name", name)) }
        if let account = student.accountId ?? student.result?.accountId { pairs.append(("account", account)) }
        if let result = student.result {
            pairs.append(("score", "\(result.earnedPoints)/\(result.totalPoints) (\(ReportNumbers.oneDecimal(result.percentage))%)"))
            pairs.append(("status", "graded"))
        } else {
            pairs.append(("score", "not graded"))
            pairs.append(("status", "error"))
            if let error = student.error { pairs.append(("error.type", error.type)) }
        }
        pairs.append(("roster.line", String(student.rosterLine)))
        for (name, value) in pairs where !existing.contains(name) {
            let property = XMLElement(name: "property")
            setAttribute(property, "name", name)
            setAttribute(property, "value", TextSanitizer.xml(value))
            properties.addChild(property)
        }
    }

    private func setAttribute(_ element: XMLElement, _ name: String, _ value: String) {
        if let attribute = XMLNode.attribute(withName: name, stringValue: value) as? XMLNode {
            element.addAttribute(attribute)
        }
    }
}
