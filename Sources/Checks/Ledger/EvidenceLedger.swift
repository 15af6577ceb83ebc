import Foundation

/// What LabCheck has seen pass for one account and lab, over time. A step that passed once stays
/// passed; cleanup is graded only once every build step is in here.
public struct EvidenceLedger: Codable, Sendable, Hashable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var labId: String
    public var accountId: String
    public var region: String?
    /// Step id -> when it first passed and what was seen then.
    public var steps: [String: Evidence]
    /// Values captured by steps (e.g. "prefix" -> "public-ecr-9641173"), kept for later runs.
    public var captures: [String: String]

    public init(labId: String, accountId: String, region: String? = nil, steps: [String: Evidence] = [:], captures: [String: String] = [:]) {
        self.schemaVersion = Self.currentSchemaVersion
        self.labId = labId
        self.accountId = accountId
        self.region = region
        self.steps = steps
        self.captures = captures
    }

    /// Records a pass; keeps the first time and observation if the step had already passed.
    /// `event`: the CloudTrail event that proves the pass (its time is `date` then), nil for a pass seen live.
    public mutating func recordPass(_ stepId: String, at date: Date, observed: [String: String], event: TrailEventReference? = nil) -> Evidence {
        if let existing = steps[stepId] { return existing }
        // Whole seconds: the ledger file keeps ISO 8601 seconds, so what is returned now equals what is read later.
        let evidence = Evidence(
            firstPassedAt: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)), observed: observed,
            source: event == nil ? .live : .trail, event: event)
        steps[stepId] = evidence
        return evidence
    }
}
