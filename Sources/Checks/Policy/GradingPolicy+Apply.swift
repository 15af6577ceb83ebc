import Foundation

extension GradingPolicy {
    /// The result under this policy, for one student: each step's points as the policy gives them, its
    /// credit cut by the deadline (the work's time from its evidence: a CloudTrail event, the ledger's
    /// first sight, or this grading for a step only the live state shows), then a waiver that has not
    /// expired. Every rule applied is kept in the step's `policy.rules`; an expired waiver is a warning.
    /// - Parameters:
    ///   - studentDeadline: the roster's deadline for this student, which overrides the class's (the late
    ///     window moves with it).
    ///   - now: when the grading is made (waivers expire against it).
    public func apply(to result: LabResult, studentDeadline: Date? = nil, now: Date) -> LabResult {
        var result = result
        let deadline = studentDeadline ?? self.deadline
        var lateUntil = self.lateUntil
        if let studentDeadline, let classDeadline = self.deadline, let classLateUntil = self.lateUntil {
            lateUntil = classLateUntil.addingTimeInterval(studentDeadline.timeIntervalSince(classDeadline))
        } else if studentDeadline != nil, self.deadline == nil {
            lateUntil = nil
        }
        var deadlineSource: PolicySummary.DeadlineSource?
        if studentDeadline != nil {
            deadlineSource = .roster
        } else if deadline != nil {
            deadlineSource = .policy
        }
        result.policy = PolicySummary(
            file: source, digest: digest, deadline: deadline, deadlineSource: deadlineSource,
            lateUntil: lateUntil, latePenaltyPerDay: lateUntil != nil ? latePenaltyPerDay : nil, passScore: passScore)
        for index in result.steps.indices {
            var step = result.steps[index]
            var policy = StepPolicy()
            if let points = points[step.id], points != step.points {
                policy.specPoints = step.points
                step.points = points
                policy.rules.append(LocalizedText(
                    ko: "배점: 정책에 따라 \(points)점 (스펙: \(policy.specPoints ?? 0)점)", en: "points: \(points) by the policy (spec: \(policy.specPoints ?? 0))"))
            }
            var earned = step.creditEarned
            if step.isPartial {
                policy.rules.append(LocalizedText(
                    ko: "부분 점수: 조건 \(step.conditions?.count ?? 0)개 중 \(step.metConditions.count)개 충족 → \(earned)/\(step.points)점 (빠진 것: \(step.missingConditions.joined(separator: ", ")))",
                    en: "partial credit: \(step.metConditions.count) of \(step.conditions?.count ?? 0) conditions met → \(earned)/\(step.points) (missing: \(step.missingConditions.joined(separator: ", ")))"))
            }
            if let deadline, earned > 0 {
                earned = applyDeadline(deadline, lateUntil: lateUntil, to: &step, policy: &policy, earned: earned, gradedAt: result.finishedAt)
            }
            if let waiver = waiver(step: step.id, student: result.studentId) {
                earned = apply(waiver, to: &step, policy: &policy, earned: earned, now: now, warnings: &result.warnings)
            }
            step.earned = earned
            if policy != StepPolicy() { step.policy = policy }
            result.steps[index] = step
        }
        return result
    }

    /// The step's credit after the deadline: whole when the work came before it, less the penalty within
    /// the late window, nothing after.
    private func applyDeadline(
        _ deadline: Date, lateUntil: Date?, to step: inout StepResult, policy: inout StepPolicy, earned: Int, gradedAt: Date
    ) -> Int {
        var time = gradedAt
        var source = EvidenceSource.live
        if step.status == .passed || step.isPartial, let evidence = step.evidence {
            if let event = evidence.event {
                time = event.eventTime
                source = .trail
            } else {
                time = evidence.firstPassedAt
                source = step.source == .ledger ? .ledger : .live
            }
        }
        policy.deadline = deadline
        policy.workTime = time
        policy.workTimeSource = source
        let at = ISO8601Text.text(time), due = ISO8601Text.text(deadline)
        let whence: LocalizedText
        switch source {
        case .trail: whence = LocalizedText(ko: "CloudTrail 이벤트 \(step.evidence?.event?.eventName ?? "") \(at)", en: "CloudTrail event \(step.evidence?.event?.eventName ?? "") at \(at)")
        case .ledger: whence = LocalizedText(ko: "이전 채점에서 처음 확인 \(at)", en: "first seen by an earlier grading at \(at)")
        case .live: whence = LocalizedText(
            ko: "현재 상태로만 확인됨: 이번 채점 시각 \(at) (이전 기록도 CloudTrail 이벤트도 없음)",
            en: "seen only in the live state, so counted as done when this grading saw it, \(at) (no earlier ledger entry, no CloudTrail event)")
        }
        guard time > deadline else {
            policy.rules.append(LocalizedText(ko: "기한 내: \(whence.ko) ≤ 마감 \(due)", en: "on time: \(whence.en), deadline \(due)"))
            return earned
        }
        let days = max(1, Int((time.timeIntervalSince(deadline) / 86_400).rounded(.up)))
        if let lateUntil, time <= lateUntil {
            let penalty = min(100, days * latePenaltyPerDay)
            let kept = earned * (100 - penalty) / 100
            policy.late = LateCredit(daysLate: days, penaltyPercent: penalty, withinLateWindow: true)
            policy.rules.append(LocalizedText(
                ko: "지각: \(whence.ko), 마감 \(due) 뒤 \(days)일 → 하루 \(latePenaltyPerDay)% 감점, \(penalty)% 감점: \(earned) → \(kept)점 (지각 제출 마감 \(ISO8601Text.text(lateUntil)))",
                en: "late: \(whence.en), \(days) day(s) after the deadline \(due) → \(latePenaltyPerDay)% a day, \(penalty)% off: \(earned) → \(kept) (late window until \(ISO8601Text.text(lateUntil)))"))
            return kept
        }
        policy.late = LateCredit(daysLate: days, penaltyPercent: 100, withinLateWindow: false)
        let window = lateUntil.map { LocalizedText(ko: "지각 제출 마감 \(ISO8601Text.text($0)) 이후", en: "after the late window, which ended \(ISO8601Text.text($0))") }
            ?? LocalizedText(ko: "지각 제출 없음", en: "no late window")
        policy.rules.append(LocalizedText(
            ko: "마감 뒤: \(whence.ko), 마감 \(due) (\(window.ko)) → 0점", en: "after the deadline: \(whence.en), deadline \(due) (\(window.en)) → earns nothing"))
        return 0
    }

    /// A waiver: ignored (with a warning) after it expired, not needed when the step earned its points,
    /// else the step is `waived` with its points granted or out of the total.
    private func apply(
        _ waiver: Waiver, to step: inout StepResult, policy: inout StepPolicy, earned: Int, now: Date, warnings: inout [ResultWarning]
    ) -> Int {
        let whom = waiver.student.map { LocalizedText(ko: "학생 \($0)", en: "student \($0)") } ?? LocalizedText(ko: "반 전체", en: "the whole class")
        let file = "\(source ?? "policy"):\(waiver.line)"
        if waiver.expires < now {
            policy.waiver = AppliedWaiver(reason: waiver.reason, expires: waiver.expires, grant: waiver.grant, student: waiver.student, applied: false)
            let text = LocalizedText(
                ko: "'\(step.id)' 면제(\(whom.ko), \(file))는 \(ISO8601Text.text(waiver.expires))에 만료되어 무시했습니다: \(waiver.reason)",
                en: "the waiver of '\(step.id)' for \(whom.en) (\(file)) expired at \(ISO8601Text.text(waiver.expires)) and was ignored: \(waiver.reason)")
            policy.rules.append(text)
            warnings.append(ResultWarning(.waiverExpired, message: text))
            return earned
        }
        guard earned < step.points || step.status != .passed else {
            policy.waiver = AppliedWaiver(reason: waiver.reason, expires: waiver.expires, grant: waiver.grant, student: waiver.student, applied: false)
            policy.rules.append(LocalizedText(
                ko: "면제 불필요: 단계를 스스로 통과했습니다 (\(file))", en: "waiver not needed: the step earned its points (\(file))"))
            return earned
        }
        policy.waiver = AppliedWaiver(reason: waiver.reason, expires: waiver.expires, grant: waiver.grant, student: waiver.student, applied: true)
        step.status = .waived
        switch waiver.grant {
        case .points:
            policy.rules.append(LocalizedText(
                ko: "면제(\(whom.ko), \(ISO8601Text.text(waiver.expires))까지, \(file)): 점수 \(step.points)점 부여 — \(waiver.reason)",
                en: "waived for \(whom.en) until \(ISO8601Text.text(waiver.expires)) (\(file)): its \(step.points) points granted — \(waiver.reason)"))
            return step.points
        case .exclude:
            policy.rules.append(LocalizedText(
                ko: "면제(\(whom.ko), \(ISO8601Text.text(waiver.expires))까지, \(file)): 총점에서 제외 (\(step.points)점) — \(waiver.reason)",
                en: "waived for \(whom.en) until \(ISO8601Text.text(waiver.expires)) (\(file)): left out of the total (\(step.points) points) — \(waiver.reason)"))
            policy.specPoints = policy.specPoints ?? step.points
            step.points = 0
            return 0
        }
    }
}
