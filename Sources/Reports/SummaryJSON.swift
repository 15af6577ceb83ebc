import Checks
import Foundation

/// `summary.json`: a schema-versioned, pretty-printed, key-sorted document of one `LabResult`,
/// and its decoder (for `labcheck merge` and class reports).
///
/// Dates are ISO 8601 in UTC to the millisecond, so `decode(encode(r)) == r` holds for dates on
/// whole milliseconds and `encode(decode(encode(r))) == encode(r)` always. Evidence values whose
/// keys name a secret (`…Token`, `password`, …) are written as "[redacted]".
public enum SummaryJSON {
    /// The version this build writes and reads.
    public static let schemaVersion = LabResult.currentSchemaVersion

    public static func encode(_ result: LabResult) throws -> Data {
        try ReportJSONCoding.document(SummaryDocument(result))
    }

    /// `encode(_:)` as text. Encoding cannot fail for a `LabResult` (non-finite numbers are written
    /// as strings); should it ever, the text is a JSON object naming the error instead.
    public static func string(_ result: LabResult) -> String {
        ReportJSONCoding.text(.summary, schemaVersion: schemaVersion) { try encode(result) }
    }

    /// Reads a summary written by `encode(_:)`. `source` (a file name) is put into errors.
    public static func decode(_ data: Data, source: String? = nil) throws -> LabResult {
        try VersionedJSONDocument.decode(SummaryDocument.self, .summary, from: data, source: source).labResult
    }

    /// Reads `summary.json` from a file.
    public static func read(from url: URL) throws -> LabResult {
        try VersionedJSONDocument.read(SummaryDocument.self, .summary, from: url).labResult
    }
}

/// The wire shape of summary.json (also each graded student's `summary` in class.json). Optional
/// fields are written as `null`, so every key is always present.
struct SummaryDocument: Codable {
    struct Lab: Codable {
        var id: String
        var title: LocalizedText
        /// The spec's digest (`LabSpec.digest`); null in documents written before it was recorded.
        var digest: String?

        enum CodingKeys: String, CodingKey { case id, title, digest }

        init(id: String, title: LocalizedText, digest: String?) {
            self.id = id
            self.title = title
            self.digest = digest
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            title = try c.decode(LocalizedText.self, forKey: .title)
            digest = try c.decodeIfPresent(String.self, forKey: .digest)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(digest, forKey: .digest)
        }
    }

    struct Score: Codable {
        var earned: Int
        var total: Int
        var percentage: Double
        var passed: Int
        var failed: Int
        var error: Int
        var skipped: Int
        /// Steps waived by the policy, steps done after the deadline, steps earning part of their points
        /// (null in documents written before the grading policy).
        var waived: Int?
        var late: Int?
        var partial: Int?
    }

    struct Step: Codable {
        var id: String
        var phase: Phase
        var title: LocalizedText
        var status: StepStatus
        var points: Int
        var earned: Int
        var message: LocalizedText
        var hint: LocalizedText?
        var errorType: String?
        var evidence: Evidence?
        var passedEarlier: Bool
        /// For an image step compared with an upstream image: verified on content, or graded by tag only.
        var content: ContentVerification?
        /// Where a pass's evidence came from: live, ledger or trail (null for a step that did not pass).
        var source: EvidenceSource?
        var durationSeconds: Double
        /// What was checked, in words; each condition of a step made of several; whether it earns credit per condition.
        var check: String?
        var conditions: [StepCondition]?
        var creditPerCondition: Bool
        /// What the grading policy did: points, deadline and the work's time, lateness, waiver, the rules applied.
        var policy: StepPolicy?

        enum CodingKeys: String, CodingKey {
            case id, phase, title, status, points, earned, message, hint, errorType, evidence, passedEarlier, durationSeconds, content, source
            case check, conditions, creditPerCondition, policy
        }

        init(_ step: StepResult) {
            id = step.id
            phase = step.phase
            title = step.title
            status = step.status
            points = step.points
            earned = step.earned
            message = step.message
            hint = step.hint
            errorType = step.errorType
            evidence = step.evidence.map {
                Evidence(firstPassedAt: $0.firstPassedAt, observed: Redaction.observed($0.observed), source: $0.source, event: $0.event)
            }
            source = step.source
            passedEarlier = step.passedEarlier
            durationSeconds = step.durationSeconds
            content = step.content
            check = step.check
            conditions = step.conditions
            creditPerCondition = step.creditPerCondition
            policy = step.policy
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            phase = try c.decode(Phase.self, forKey: .phase)
            title = try c.decode(LocalizedText.self, forKey: .title)
            status = try c.decode(StepStatus.self, forKey: .status)
            points = try c.decode(Int.self, forKey: .points)
            earned = try c.decode(Int.self, forKey: .earned)
            message = try c.decode(LocalizedText.self, forKey: .message)
            hint = try c.decodeIfPresent(LocalizedText.self, forKey: .hint)
            errorType = try c.decodeIfPresent(String.self, forKey: .errorType)
            evidence = try c.decodeIfPresent(Evidence.self, forKey: .evidence)
            passedEarlier = try c.decodeIfPresent(Bool.self, forKey: .passedEarlier) ?? false
            durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds) ?? 0
            content = try c.decodeIfPresent(ContentVerification.self, forKey: .content)
            source = try c.decodeIfPresent(EvidenceSource.self, forKey: .source)
            check = try c.decodeIfPresent(String.self, forKey: .check)
            conditions = try c.decodeIfPresent([StepCondition].self, forKey: .conditions)
            creditPerCondition = try c.decodeIfPresent(Bool.self, forKey: .creditPerCondition) ?? false
            policy = try c.decodeIfPresent(StepPolicy.self, forKey: .policy)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(phase, forKey: .phase)
            try c.encode(title, forKey: .title)
            try c.encode(status, forKey: .status)
            try c.encode(points, forKey: .points)
            try c.encode(earned, forKey: .earned)
            try c.encode(message, forKey: .message)
            try c.encode(hint, forKey: .hint)
            try c.encode(errorType, forKey: .errorType)
            try c.encode(evidence, forKey: .evidence)
            try c.encode(passedEarlier, forKey: .passedEarlier)
            try c.encode(durationSeconds, forKey: .durationSeconds)
            try c.encode(content, forKey: .content)
            try c.encode(source, forKey: .source)
            try c.encode(check, forKey: .check)
            try c.encode(conditions, forKey: .conditions)
            try c.encode(creditPerCondition, forKey: .creditPerCondition)
            try c.encode(policy, forKey: .policy)
        }

        var stepResult: StepResult {
            StepResult(
                id: id, phase: phase, title: title, hint: hint, points: points, earned: earned, status: status,
                message: message, errorType: errorType, evidence: evidence, passedEarlier: passedEarlier,
                durationSeconds: durationSeconds, content: content, source: source, check: check, conditions: conditions,
                creditPerCondition: creditPerCondition, policy: policy)
        }
    }

    var schemaVersion: Int
    var lab: Lab
    var accountId: String?
    var region: String?
    var studentId: String?
    var phase: PhaseSelection
    var startedAt: Date
    var finishedAt: Date
    var durationSeconds: Double
    var apiCalls: Int
    /// The labcheck that graded; null in documents written before it was recorded.
    var labcheckVersion: String?
    var score: Score?
    var steps: [Step]
    /// History denied or unavailable, its delivery lag (written null when there is nothing to say).
    var warnings: [ResultWarning]
    /// The grading policy graded under (null without one).
    var policy: PolicySummary?

    enum CodingKeys: String, CodingKey {
        case schemaVersion, lab, accountId, region, studentId, phase, startedAt, finishedAt, durationSeconds, apiCalls,
            labcheckVersion, score, steps, warnings, policy
    }

    init(_ result: LabResult) {
        schemaVersion = SummaryJSON.schemaVersion
        lab = Lab(id: result.labId, title: result.labTitle, digest: result.specDigest)
        accountId = result.accountId
        region = result.region
        studentId = result.studentId
        phase = result.phase
        startedAt = result.startedAt
        finishedAt = result.finishedAt
        // From the dates as written (whole milliseconds), so reading and writing again gives the same text.
        durationSeconds = (ReportDates.milliseconds(result.finishedAt) - ReportDates.milliseconds(result.startedAt)) / 1000
        apiCalls = result.apiCalls
        labcheckVersion = result.labcheckVersion
        score = Score(
            earned: result.earnedPoints, total: result.totalPoints, percentage: result.percentage,
            passed: result.count(.passed), failed: result.count(.failed), error: result.count(.error),
            skipped: result.count(.skipped), waived: result.count(.waived), late: result.lateCount, partial: result.partialCount)
        steps = result.steps.map(Step.init)
        warnings = result.warnings
        policy = result.policy
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        lab = try c.decode(Lab.self, forKey: .lab)
        accountId = try c.decodeIfPresent(String.self, forKey: .accountId)
        region = try c.decodeIfPresent(String.self, forKey: .region)
        studentId = try c.decodeIfPresent(String.self, forKey: .studentId)
        phase = try c.decode(PhaseSelection.self, forKey: .phase)
        startedAt = try c.decode(Date.self, forKey: .startedAt)
        finishedAt = try c.decode(Date.self, forKey: .finishedAt)
        durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds) ?? 0
        apiCalls = try c.decodeIfPresent(Int.self, forKey: .apiCalls) ?? 0
        labcheckVersion = try c.decodeIfPresent(String.self, forKey: .labcheckVersion)
        score = try c.decodeIfPresent(Score.self, forKey: .score)
        steps = try c.decode([Step].self, forKey: .steps)
        warnings = try c.decodeIfPresent([ResultWarning].self, forKey: .warnings) ?? []
        policy = try c.decodeIfPresent(PolicySummary.self, forKey: .policy)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(lab, forKey: .lab)
        try c.encode(accountId, forKey: .accountId)
        try c.encode(region, forKey: .region)
        try c.encode(studentId, forKey: .studentId)
        try c.encode(phase, forKey: .phase)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(apiCalls, forKey: .apiCalls)
        try c.encode(labcheckVersion, forKey: .labcheckVersion)
        try c.encode(score, forKey: .score)
        try c.encode(steps, forKey: .steps)
        // null when there is none: an empty array's pretty-printed form depends on its depth, which class.json's streaming cannot keep.
        try c.encode(warnings.isEmpty ? nil : warnings, forKey: .warnings)
        try c.encode(policy, forKey: .policy)
    }

    /// The result; the score is derived from the steps, so the stored score is not read back.
    var labResult: LabResult {
        LabResult(
            labId: lab.id, labTitle: lab.title, accountId: accountId, region: region, studentId: studentId,
            phase: phase, startedAt: startedAt, finishedAt: finishedAt, steps: steps.map(\.stepResult),
            apiCalls: apiCalls, warnings: warnings, specDigest: lab.digest, labcheckVersion: labcheckVersion, policy: policy)
    }
}
