import Foundation

/// Reads a grading policy from YAML and validates it completely at load time, against the lab spec it
/// is used with, with the spec's machinery (`SpecLoader.compose`, `YAMLCursor`): every problem is a
/// `SpecError` naming file, line and field, as for a spec.
///
///     schemaVersion: 1
///     deadline: 2026-12-04T18:00:00+09:00
///     lateUntil: 2026-12-07T18:00:00+09:00   # optional: the late window
///     latePenaltyPerDay: 10                  # percent of a step's points per day (or part of one) late
///     passScore: 60
///     steps: { cleanup-repositories: { points: 20 } }
///     waivers:
///       - { student: s03, step: image-cluster-autoscaler, reason: "…", expires: 2026-12-31, grant: points }
public enum PolicyLoader {
    static let topKeys: Set<String> = ["schemaVersion", "deadline", "lateUntil", "latePenaltyPerDay", "passScore", "steps", "waivers"]
    static let waiverKeys: Set<String> = ["student", "step", "reason", "expires", "grant"]

    public static func load(contentsOf url: URL, spec: LabSpec) throws -> GradingPolicy {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SpecError(file: url.path, line: nil, field: nil, problem: "cannot read the policy file (\(error.localizedDescription))")
        }
        return try parse(text, file: url.path, spec: spec)
    }

    public static func parse(_ text: String, file: String, spec: LabSpec) throws -> GradingPolicy {
        let root = YAMLCursor(node: try SpecLoader.compose(text, file: file), file: file, path: "")
        let top = try root.mapping(allowed: topKeys)
        let versionCursor = try top.required("schemaVersion", in: root)
        let version = try versionCursor.int()
        guard GradingPolicy.supportedSchemaVersions.contains(version) else {
            throw versionCursor.error("unsupported schemaVersion \(version); this labcheck reads \(GradingPolicy.supportedSchemaVersions.map(String.init).joined(separator: ", "))")
        }
        var policy = GradingPolicy(source: file, digest: LabSpec.digest(ofText: text))
        policy.deadline = try top["deadline"].map(dateTime)
        if let cursor = top["lateUntil"] {
            guard let deadline = policy.deadline else { throw cursor.error("lateUntil needs a deadline") }
            let lateUntil = try dateTime(cursor)
            guard lateUntil > deadline else {
                throw cursor.error("lateUntil \(ISO8601Text.text(lateUntil)) must come after the deadline \(ISO8601Text.text(deadline))")
            }
            policy.lateUntil = lateUntil
        }
        if let cursor = top["latePenaltyPerDay"] {
            guard policy.lateUntil != nil else { throw cursor.error("latePenaltyPerDay needs lateUntil (the end of the late window)") }
            let penalty = try cursor.int()
            guard (0...100).contains(penalty) else { throw cursor.error("expected a percentage from 0 to 100, found \(penalty)") }
            policy.latePenaltyPerDay = penalty
        }
        if let cursor = top["passScore"] {
            let score = try cursor.number()
            guard (0...100).contains(score) else { throw cursor.error("expected a percentage from 0 to 100, found \(cursor.describeValue)") }
            policy.passScore = score
        }
        if let cursor = top["steps"] {
            for (id, stepCursor) in try cursor.mapping().sorted(by: { $0.key < $1.key }) {
                try knownStep(id, at: stepCursor, spec: spec)
                let fields = try stepCursor.mapping(allowed: ["points"])
                let pointsCursor = try fields.required("points", in: stepCursor)
                let points = try pointsCursor.int()
                guard points >= 0 else { throw pointsCursor.error("points must be 0 or more, found \(points)") }
                policy.points[id] = points
            }
        }
        if let cursor = top["waivers"] {
            var seen: [String: Int] = [:]
            for waiverCursor in try cursor.list() {
                let waiver = try parseWaiver(waiverCursor, spec: spec)
                let key = (waiver.student ?? "") + "\u{0}" + waiver.step
                if let first = seen[key] {
                    throw waiverCursor.error("a second waiver for step '\(waiver.step)' and \(waiver.student.map { "student '\($0)'" } ?? "the whole class") (the first is at line \(first))")
                }
                seen[key] = waiver.line
                policy.waivers.append(waiver)
            }
        }
        return policy
    }

    static func parseWaiver(_ cursor: YAMLCursor, spec: LabSpec) throws -> GradingPolicy.Waiver {
        let fields = try cursor.mapping(allowed: waiverKeys)
        let stepCursor = try fields.required("step", in: cursor)
        let step = try stepCursor.string()
        try knownStep(step, at: stepCursor, spec: spec)
        let student = try fields["student"].map { field in
            let id = try field.string()
            guard !id.isEmpty else { throw field.error("student is empty; leave it out to waive the step for the whole class") }
            return id
        }
        let reasonCursor = try fields.required("reason", in: cursor)
        let reason = try reasonCursor.string().trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw reasonCursor.error("a waiver needs a reason: it is shown in every report") }
        let expiresCursor = try fields.required("expires", in: cursor)
        let expiresText = try expiresCursor.string()
        // A day means through the end of that day (UTC).
        guard let expires = ISO8601Text.dateTime(expiresText) ?? ISO8601Text.day(expiresText).map({ $0.addingTimeInterval(86_400 - 1) }) else {
            throw expiresCursor.error("'\(expiresText)' is not an ISO 8601 date (2026-12-31) or time (2026-12-31T18:00:00+09:00)")
        }
        var grant = WaiverGrant.points
        if let grantCursor = fields["grant"] {
            let text = try grantCursor.string()
            guard let value = WaiverGrant(rawValue: text) else {
                throw grantCursor.error("unknown grant '\(text)'; expected points (the step's points are earned) or exclude (the step leaves the total)")
            }
            grant = value
        }
        return GradingPolicy.Waiver(student: student, step: step, reason: reason, expires: expires, grant: grant, line: cursor.node.mark?.line ?? 0)
    }

    static func knownStep(_ id: String, at cursor: YAMLCursor, spec: LabSpec) throws {
        guard spec.step(id) != nil else {
            throw cursor.error("unknown step '\(id)' of lab \(spec.id); steps are: \(spec.steps.map(\.id).joined(separator: ", "))")
        }
    }

    static func dateTime(_ cursor: YAMLCursor) throws -> Date {
        let text = try cursor.string()
        guard let date = ISO8601Text.dateTime(text) else {
            throw cursor.error("'\(text)' is not an ISO 8601 time with a zone, such as 2026-12-04T18:00:00+09:00 or 2026-12-04T09:00:00Z")
        }
        return date
    }
}
