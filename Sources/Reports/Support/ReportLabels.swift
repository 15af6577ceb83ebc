import Checks

/// The words reports use, in Korean and English.
struct ReportLabels: Sendable {
    let language: Language

    init(_ language: Language) {
        self.language = language
    }

    private func pick(_ ko: String, _ en: String) -> String {
        language == .ko ? ko : en
    }

    var score: String { pick("점수", "Score") }
    var account: String { pick("계정", "Account") }
    var region: String { pick("리전", "Region") }
    var phase: String { pick("단계", "Phase") }
    var student: String { pick("학생", "Student") }
    var hint: String { pick("힌트", "Hint") }
    var step: String { pick("단계 항목", "Step") }
    var points: String { pick("점수", "Points") }
    var message: String { pick("메시지", "Message") }
    var hints: String { pick("다음에 할 일", "What to do next") }
    var unknown: String { pick("알 수 없음", "unknown") }
    var duration: String { pick("소요 시간", "Duration") }
    var apiCalls: String { pick("API 호출", "API calls") }

    func passedEarlier(at timestamp: String) -> String {
        pick("이전에 통과함 (\(timestamp))", "passed earlier (\(timestamp))")
    }

    /// "content verified: …" / "content not verified: …" for an image step that compares with an upstream image.
    func content(_ content: ContentVerification) -> String {
        let detail = pick(content.detail.ko, content.detail.en)
        if content.verified { return pick("내용 확인됨 (\(content.upstream)): ", "content verified (\(content.upstream)): ") + detail }
        return detail
    }

    var warnings: String { pick("알림", "Warnings") }
    var evidence: String { pick("근거", "Evidence") }

    /// `live` / `ledger` / `trail`, as every report names a source.
    func source(_ source: EvidenceSource) -> String {
        switch source {
        case .live: pick("현재 상태 (live)", "live")
        case .ledger: pick("이전 기록 (ledger)", "ledger")
        case .trail: pick("CloudTrail 기록 (trail)", "trail")
        }
    }

    /// "evidence: trail — PutImage 2026-12-02T01:02:03Z (event …, arn:…)" / "evidence: live"; nil for a step that did not pass.
    func evidence(_ step: StepResult) -> String? {
        guard let source = step.source else { return nil }
        var text = "\(evidence): \(self.source(source))"
        if let event = step.evidence?.event { text += " — " + event.summary }
        return text
    }

    func status(_ status: StepStatus) -> String {
        switch status {
        case .passed: pick("통과", "Passed")
        case .failed: pick("실패", "Failed")
        case .error: pick("오류", "Error")
        case .skipped: pick("건너뜀", "Skipped")
        }
    }

    func phase(_ phase: Phase) -> String {
        switch phase {
        case .preflight: pick("사전 점검", "pre-flight")
        case .build: pick("구축", "build")
        case .cleanup: pick("정리", "cleanup")
        }
    }

    func phaseHeading(_ phase: Phase) -> String {
        switch phase {
        case .preflight: pick("사전 점검 (배점 없음)", "Pre-flight (no points)")
        case .build: pick("구축 단계", "Build phase")
        case .cleanup: pick("정리 단계", "Cleanup phase")
        }
    }

    func selection(_ selection: PhaseSelection) -> String {
        switch selection {
        case .build: phase(.build)
        case .cleanup: phase(.cleanup)
        case .all: pick("전체", "all")
        case .preflight: phase(.preflight)
        }
    }

    /// "Score: 45/100 (45.0%)" / "점수: 45/100 (45.0%)".
    func scoreLine(_ result: LabResult) -> String {
        "\(score): \(result.earnedPoints)/\(result.totalPoints) (\(ReportNumbers.oneDecimal(result.percentage))%)"
    }

    /// "Graded with ecr-lab sha256:… · labcheck 1.0.0": which rules made the grade; nil when the
    /// result does not record them (a summary written before they were).
    func rulesLine(_ result: LabResult) -> String? {
        guard result.specDigest != nil || result.labcheckVersion != nil else { return nil }
        var parts = ["\(result.labId)" + (result.specDigest.map { " \($0)" } ?? "")]
        if let version = result.labcheckVersion { parts.append("labcheck \(version)") }
        return pick("채점 기준", "Graded with") + ": " + parts.joined(separator: " · ")
    }

    var newlyPassed: String { pick("★ 새로 통과", "★ new") }
    var nextStep: String { pick("다음 할 일", "Next step") }
    var allPassed: String { pick("모든 단계를 통과했습니다. 더 할 일이 없습니다.", "Every step passed: nothing left to do.") }

    /// "Passed 3 · Failed 1 · Error 1 · Skipped 1".
    func countsLine(_ result: LabResult) -> String {
        StepStatus.allCases.map { "\(status($0)) \(result.count($0))" }.joined(separator: " · ")
    }
}
