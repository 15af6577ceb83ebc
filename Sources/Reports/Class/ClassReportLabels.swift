import Checks

/// The words the class reports use, in Korean and English (the per-step words come from `ReportLabels`).
struct ClassReportLabels: Sendable {
    let language: Language
    let base: ReportLabels

    init(_ language: Language) {
        self.language = language
        self.base = ReportLabels(language)
    }

    private func pick(_ ko: String, _ en: String) -> String {
        language == .ko ? ko : en
    }

    var classReport: String { pick("반 성적표", "Class report") }
    var studentId: String { pick("학번", "Student ID") }
    var name: String { pick("이름", "Name") }
    var account: String { base.account }
    var score: String { base.score }
    var percentage: String { pick("백분율", "Percent") }
    var students: String { pick("학생 수", "Students") }
    var graded: String { pick("채점됨", "Graded") }
    var errors: String { pick("오류", "Errors") }
    var fullMarks: String { pick("만점", "Full marks") }
    var classAverage: String { pick("반 평균", "Class average") }
    var noneGraded: String { pick("채점된 학생 없음", "nobody graded") }
    var results: String { pick("학생별 결과", "Results by student") }
    var passRates: String { pick("단계별 통과율", "Pass rate by step") }
    var passRate: String { pick("통과율", "Pass rate") }
    var distribution: String { pick("점수 분포", "Score distribution") }
    var policy: String { pick("지각 · 부분 점수 · 면제", "Late, partial and waived") }
    var range: String { pick("구간 (%)", "Range (%)") }
    var count: String { pick("인원", "Students") }
    var errorRows: String { pick("채점하지 못한 학생", "Students who could not be graded") }
    var errorType: String { pick("오류 종류", "Error") }
    var reason: String { pick("이유", "Reason") }
    var rosterLine: String { pick("명단 줄", "Roster line") }
    var notGraded: String { pick("채점 안 됨", "not graded") }
    var notListed: String { pick("해당 없음", "not listed") }
    var legend: String { pick("범례", "Legend") }
    var phase: String { base.phase }
    var lab: String { pick("실습", "Lab") }
    var started: String { pick("시작", "Started") }
    var finished: String { pick("종료", "Finished") }
    var step: String { base.step }
    var points: String { base.points }
    var sortHint: String { pick("열 제목을 누르면 정렬됩니다", "Click a column header to sort by it") }
    var couldNotGrade: String { pick("채점할 수 없음", "Could not be graded") }

    func status(_ status: StepStatus) -> String { base.status(status) }

    /// "4 / 6 (66.7%)".
    func fraction(_ part: Int, of whole: Int, percentage: Double) -> String {
        "\(part) / \(whole) (\(ReportNumbers.oneDecimal(percentage))%)"
    }
}
