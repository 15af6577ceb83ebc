import Foundation

/// What was seen when a step passed: kept in the evidence ledger so a passed step stays passed.
public struct Evidence: Codable, Sendable, Hashable {
    /// When the step was first seen passing.
    public var firstPassedAt: Date
    /// What was observed, e.g. `["imageDigest": "sha256:…", "repository": "…"]` or `["ecrRepositoryPrefix": "public-ecr-9641173"]`.
    public var observed: [String: String]

    public init(firstPassedAt: Date, observed: [String: String]) {
        self.firstPassedAt = firstPassedAt
        self.observed = observed
    }
}
