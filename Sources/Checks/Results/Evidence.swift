import Foundation

/// What was seen when a step passed: kept in the evidence ledger so a passed step stays passed.
public struct Evidence: Codable, Sendable, Hashable {
    /// When the step was first seen passing; for evidence from the trail, the time of the event that proves it.
    public var firstPassedAt: Date
    /// What was observed, e.g. `["imageDigest": "sha256:…", "repository": "…"]` or `["ecrRepositoryPrefix": "public-ecr-9641173"]`.
    public var observed: [String: String]
    /// Where the pass was established: the live listings or the account's CloudTrail history
    /// (`ledger` is what a `StepResult` says when this evidence was kept from an earlier run).
    public var source: EvidenceSource
    /// For evidence from the trail: the event that proves the step. For a pass seen live or kept in the
    /// ledger, the event that shows when the work was done, when a deadline asked for it.
    public var event: TrailEventReference?

    public init(firstPassedAt: Date, observed: [String: String], source: EvidenceSource = .live, event: TrailEventReference? = nil) {
        self.firstPassedAt = firstPassedAt
        self.observed = observed
        self.source = source
        self.event = event
    }

    enum CodingKeys: String, CodingKey { case firstPassedAt, observed, source, event }

    /// Ledgers and summaries written before the history source have neither `source` nor `event`: live.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        firstPassedAt = try c.decode(Date.self, forKey: .firstPassedAt)
        observed = try c.decode([String: String].self, forKey: .observed)
        source = try c.decodeIfPresent(EvidenceSource.self, forKey: .source) ?? .live
        event = try c.decodeIfPresent(TrailEventReference.self, forKey: .event)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(firstPassedAt, forKey: .firstPassedAt)
        try c.encode(observed, forKey: .observed)
        try c.encode(source, forKey: .source)
        try c.encodeIfPresent(event, forKey: .event)
    }
}

/// Where a step's evidence came from.
public enum EvidenceSource: String, Codable, Sendable, Hashable, CaseIterable {
    /// The account's current state (ECR listings now).
    case live
    /// The evidence ledger: an earlier run saw the step pass.
    case ledger
    /// The account's CloudTrail event history (LookupEvents).
    case trail
}

/// The CloudTrail event a step's evidence rests on: enough for an instructor to find it again
/// (`aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventId,AttributeValue=<eventId>`).
public struct TrailEventReference: Codable, Sendable, Hashable {
    public var eventName: String
    public var eventTime: Date
    public var eventId: String
    /// The caller (`userIdentity.arn`), when the record names one.
    public var principalArn: String?

    public init(eventName: String, eventTime: Date, eventId: String, principalArn: String?) {
        self.eventName = eventName
        self.eventTime = eventTime
        self.eventId = eventId
        self.principalArn = principalArn
    }

    /// "PutImage 2026-12-02T01:02:03Z (event 1f0c…, arn:aws:iam::…:user/student)".
    public var summary: String {
        var text = "\(eventName) \(eventTime.formatted(.iso8601)) (event \(eventId)"
        if let principalArn { text += ", \(principalArn)" }
        return text + ")"
    }
}
