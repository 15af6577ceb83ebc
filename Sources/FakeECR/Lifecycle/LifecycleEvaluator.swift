import ECRWire
import Foundation

/// The evaluation of every repository's lifecycle policy at the fake's clock (`FakeClock`): the
/// images a policy expires are deleted (all their tags), and each repository that lost images gets
/// ECR's `PolicyExecutionEvent` (an `AwsServiceEvent`) in its trail. ECR evaluates policies on its
/// own schedule (within 24 hours); the fake evaluates when asked: `POST /_fake/lifecycle/evaluate`
/// or `RunningFakeECR.evaluateLifecyclePolicies()`.
struct LifecycleEvaluator: Sendable {
    let store: RegistryStore
    let trail: TrailRecorder
    let clock: FakeClock

    func evaluate() async throws -> [LifecycleRun] {
        let now = clock.now
        var runs: [LifecycleRun] = []
        for registry in store.allRegistries() {
            for name in registry.sortedRepositoryNames {
                guard let text = registry.repositories[name]?.lifecyclePolicyText, let policy = try? LifecyclePolicy(text: text) else { continue }
                let key = registry.key
                let expired = try store.update(key) { state -> [LifecycleExpiration] in
                    guard let record = state.repositories[name] else { return [] }
                    let expirations = policy.expirations(in: record, now: now)
                    for expiration in expirations { _ = state.deleteImage(.digest(expiration.image.digest), from: name) }
                    return expirations
                }
                guard !expired.isEmpty else { continue }
                await trail.recordServiceEvent(
                    "PolicyExecutionEvent", in: key, details: Self.details(name, policy: policy, expired: expired, now: now),
                    resources: [TrailIdentity.repository(name, in: key)], now: Date())
                runs.append(LifecycleRun(
                    accountId: key.accountId, region: key.region, repositoryName: name,
                    expired: expired.map { LifecycleRun.Expired(imageDigest: $0.image.digest, imageTags: $0.image.tags, rulePriority: $0.rulePriority) }))
            }
        }
        return runs
    }

    /// The `serviceEventDetails` of a `PolicyExecutionEvent`, in the shape ECR documents for it
    /// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/logging-using-cloudtrail.html).
    static func details(_ name: String, policy: LifecyclePolicy, expired: [LifecycleExpiration], now: Date) -> JSONValue {
        let milliseconds = { (date: Date) in JSONValue.number((date.timeIntervalSince1970 * 1000).rounded(.down)) }
        let rules: [JSONValue] = policy.rules.map { rule in
            var selection: [String: JSONValue] = [
                "tagStatus": .string(rule.tagStatus.rawValue.prefix(1).uppercased() + rule.tagStatus.rawValue.dropFirst()),
                "tagPrefixList": .array(rule.tagPrefixes.map(JSONValue.string)),
                "countType": .string(rule.countType == .imageCountMoreThan ? "Image count more than" : "Since image pushed"),
                "countNumber": .number(Double(rule.countNumber)),
            ]
            if !rule.tagPatterns.isEmpty { selection["tagPatternList"] = .array(rule.tagPatterns.map(JSONValue.string)) }
            if rule.countType == .sinceImagePushed { selection["countUnit"] = .string("days") }
            return .object([
                "rulePriority": .number(Double(rule.priority)), "description": .string(rule.description ?? ""),
                "lifecycleEventSelection": .object(selection), "action": .string("expire"),
            ])
        }
        let actions: [JSONValue] = expired.map { expiration in
            .object([
                "lifecycleEventImage": .object([
                    "digest": .string(expiration.image.digest), "tagStatus": .string(expiration.image.tags.isEmpty ? "Untagged" : "Tagged"),
                    "tagList": .array(expiration.image.tags.map(JSONValue.string)), "pushedAt": milliseconds(expiration.image.pushedAt),
                ]),
                "rulePriority": .number(Double(expiration.rulePriority)),
            ])
        }
        return .object([
            "repositoryName": .string(name),
            "lifecycleEventPolicy": .object(["lifecycleEventRules": .array(rules), "lastEvaluatedAt": milliseconds(now), "policyVersion": .number(1)]),
            "lifecycleEventImageActions": .array(actions),
            "lifecycleEventFailureDetails": .array([]),
        ])
    }
}

/// What one lifecycle evaluation expired in one repository.
public struct LifecycleRun: Sendable, Codable, Equatable {
    public var accountId: String
    public var region: String
    public var repositoryName: String
    public var expired: [Expired]

    public struct Expired: Sendable, Codable, Equatable {
        public var imageDigest: String
        public var imageTags: [String]
        public var rulePriority: Int
    }
}
