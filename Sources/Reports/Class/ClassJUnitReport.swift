import Checks
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `class.junit.xml`: one `<testsuite>` per roster row, written a student at a time (name = student id, package = lab id), built
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
        classResult.students.map { suite($0, in: classResult) }
    }

    public func render(_ classResult: ClassResult) -> String { ReportStream.memory { write(classResult, to: $0) }.text }

    public func data(_ classResult: ClassResult) -> Data { ReportStream.memory { write(classResult, to: $0) }.data }

    /// The XML declaration and the root element, the document's only constant markup.
    static let prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
    static let epilog = "</testsuites>\n"

    /// Writes the document a student at a time: each `<testsuite>` is built and serialised by
    /// FoundationXML (libxml2, which escapes every text and attribute) in a document of its own,
    /// then appended between the constant prolog and epilog, so only one student's tree is in memory.
    func write(_ classResult: ClassResult, to stream: ReportStream) {
        let report = JUnitReport(language: language, hostname: hostname)
        stream.write(Self.prolog)
        for (index, student) in classResult.students.enumerated() {
            let element = report.suiteElement(suite(student, in: classResult), id: index, extraProperties: properties(of: student))
            let document = XMLDocument(rootElement: element)
            document.version = "1.0"
            document.characterEncoding = "UTF-8"
            stream.write(element.xmlString(options: [.nodePrettyPrint]))
            stream.write("\n")
        }
        stream.write(Self.epilog)
    }

    private func suite(_ student: StudentOutcome, in classResult: ClassResult) -> JUnitReport.Suite {
        JUnitReport.Suite(name: student.studentId, package: classResult.labId, result: labResult(student, in: classResult))
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

    /// The class's properties of a student's suite (the suite's own properties take precedence).
    private func properties(of student: StudentOutcome) -> [(String, String)] {
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
        return pairs
    }
}
