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
        case .waived: pick("면제", "Waived")
        }
    }

    /// The short marks of what the policy and the spec's partial credit did to a step, in the words
    /// every report uses: "late 2d −20%", "late: not counted", "partial 3/4", "waived" / "waived (excluded)".
    func tags(_ step: StepResult) -> [String] {
        var tags: [String] = []
        if let late = step.policy?.late {
            tags.append(late.withinLateWindow
                ? pick("지각 \(late.daysLate)일 −\(late.penaltyPercent)%", "late \(late.daysLate)d −\(late.penaltyPercent)%")
                : pick("지각: 점수 없음", "late: not counted"))
        }
        if step.isPartial {
            tags.append(pick("부분 점수", "partial") + " \(step.metConditions.count)/\(step.conditions?.count ?? 0)")
        }
        if step.status == .waived, let waiver = step.policy?.waiver {
            tags.append(waiver.grant == .exclude ? pick("면제 (총점 제외)", "waived (excluded)") : pick("면제", "waived"))
        }
        return tags
    }

    /// The lines that explain the tags: the missing conditions, the waiver's reason, what the deadline did.
    func policyLines(_ step: StepResult) -> [String] {
        var lines: [String] = []
        if step.isPartial {
            lines.append(pick("빠진 조건", "missing") + ": " + step.missingConditions.joined(separator: ", "))
        }
        if step.status == .waived, let waiver = step.policy?.waiver {
            lines.append(pick("면제 사유", "waiver") + ": \(waiver.reason) (" + pick("만료", "expires") + " \(ReportDates.iso8601(waiver.expires)))")
        }
        if step.isLate, let rule = step.policy?.rules.first(where: { $0.en.hasPrefix("late") || $0.en.hasPrefix("after the deadline") }) {
            lines.append(pick(rule.ko, rule.en))
        }
        return lines
    }

    /// "Graded under policy.yaml sha256:… · deadline 2026-12-04T09:00:00Z (roster) · late until … −10%/day · pass 60%"; nil without a policy.
    func policyLine(_ result: LabResult) -> String? {
        guard let policy = result.policy else { return nil }
        var parts: [String] = []
        if let file = policy.file { parts.append(file + (policy.digest.map { " \($0)" } ?? "")) }
        if let deadline = policy.deadline {
            let from = policy.deadlineSource == .roster ? pick(" (학생별)", " (this student's)") : ""
            parts.append(pick("마감", "deadline") + " \(ReportDates.iso8601(deadline))" + from)
        }
        if let lateUntil = policy.lateUntil {
            parts.append(pick("지각 제출", "late until") + " \(ReportDates.iso8601(lateUntil)) −\(policy.latePenaltyPerDay ?? 0)%/" + pick("일", "day"))
        }
        if let pass = policy.passScore { parts.append(pick("통과 기준", "pass at") + " \(ReportNumbers.oneDecimal(pass))%") }
        return pick("채점 정책", "Grading policy") + ": " + parts.joined(separator: " · ")
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
        var parts = StepStatus.allCases.filter { $0 != .waived || result.count($0) > 0 }.map { "\(status($0)) \(result.count($0))" }
        if result.lateCount > 0 { parts.append(pick("지각", "Late") + " \(result.lateCount)") }
        if result.partialCount > 0 { parts.append(pick("부분 점수", "Partial") + " \(result.partialCount)") }
        return parts.joined(separator: " · ")
    }
}
