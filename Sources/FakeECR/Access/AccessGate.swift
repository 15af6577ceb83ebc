import Foundation
import Logging

/// How far the fake enforces IAM (`fake-ecr serve --iam`).
public enum IAMEnforcement: String, Sendable, CaseIterable {
    /// As before IAM: every principal may do anything in its own account except what the accounts
    /// file's `deniedActions` names; repository policies decide other accounts' access and their
    /// Deny statements; role trust decides AssumeRole. Declared identity policies are kept (the IAM
    /// API and its simulation answer from them) but not enforced.
    case off
    /// Every call is authorised by the principal's identity policies, the repository policy and the
    /// role trust, as IAM evaluates them (`PolicyEvaluation`).
    case enforce
}

/// The one gate every access passes: the control plane's operations (through `ECRRequestContext`),
/// the `/v2/` data plane (through the identity its registry password carries), STS AssumeRole,
/// CloudTrail and IAM. Each check builds one `PolicyRequest` and lets `PolicyEvaluation` decide from
/// the caller's identity policies (`AccountDirectory.identity(of:enforcing:)`) and the resource's
/// policy: a repository's policy, a role's trust; registries as a whole have none, so another
/// account's registry is closed to registry-level operations.
struct AccessGate: Sendable {
    let store: RegistryStore
    let directory: AccountDirectory
    var enforcement: IAMEnforcement = .off
    /// Whether the server speaks HTTPS (`aws:SecureTransport`).
    var secureTransport = false
    var logger = Logger(label: "fake-ecr.access")

    /// Where a call comes from, for the request context's keys.
    struct Origin: Sendable {
        var region: String?
        var sourceIp: String?
        var now = Date()
    }

    /// The decision on `principal` doing `action` on `resource`, with the resource's policy (if any)
    /// and the account that owns the resource.
    func evaluate(
        _ principal: AccessPrincipal, action: String, resource: String, resourcePolicy: NamedPolicy?, resourceAccount: String?,
        resourceTags: [String: String] = [:], origin: Origin, extraContext: [String: [String]] = [:]
    ) async -> PolicyEvaluation {
        let identity = await directory.identity(of: principal, enforcing: enforcement == .enforce)
        // Only statements read the request context: with none to evaluate (the account's root, or a
        // principal with no policies to enforce, and no resource policy) it is not built.
        var context: [String: [String]] = [:]
        if identity.policies != .root || resourcePolicy != nil {
            context = PolicyRequest.globalContext(
                principal: principal, userId: identity.userId, principalTags: identity.tags, region: origin.region, sourceIp: origin.sourceIp,
                secureTransport: secureTransport, resourceTags: resourceTags, now: origin.now
            ).merging(extraContext) { _, new in new }
        }
        let request = PolicyRequest(principal: principal, action: action, resource: resource, context: context)
        return PolicyEvaluation.evaluate(request, identity: identity.policies, resource: resourcePolicy, resourceAccount: resourceAccount)
    }

    /// A registry-level ECR operation (`operation` as `CreateRepository`) on `key`'s registry.
    func authorize(
        _ principal: AccessPrincipal, _ operation: String, registry key: RegistryKey, naming name: String? = nil, from sourceIp: String? = nil
    ) async throws(AccessRefusal) {
        let resource = AccessResource.registry(key, naming: name)
        let result = await evaluate(
            principal, action: "ecr:" + operation, resource: resource.arn, resourcePolicy: nil, resourceAccount: key.accountId,
            origin: Origin(region: key.region, sourceIp: sourceIp))
        try Self.check(result, principal, "ecr:" + operation, resource)
    }

    /// An ECR operation (`BatchGetImage`) on the repository `name` of `key`'s registry, by either plane.
    func authorize(
        _ principal: AccessPrincipal, _ operation: String, repository name: String, in key: RegistryKey, from sourceIp: String? = nil
    ) async throws(AccessRefusal) {
        let record = try? store.read(key) { $0.repositories[name] }
        var policy: NamedPolicy?
        if let text = record?.repositoryPolicyText {
            do {
                policy = NamedPolicy(id: "RepositoryPolicy", source: .resource, document: try PolicyDocument(text: text, kind: .resource))
            } catch {
                logger.notice("the repository policy of \(key.repositoryArn(name)) is not a valid policy (\(error)): evaluated as none")
            }
        }
        var tags: [String: String] = [:]
        for tag in record?.tags ?? [] { tags[tag.key] = tag.value }
        let resource = AccessResource.repository(key, name)
        let result = await evaluate(
            principal, action: "ecr:" + operation, resource: resource.arn, resourcePolicy: policy, resourceAccount: key.accountId, resourceTags: tags,
            origin: Origin(region: key.region, sourceIp: sourceIp))
        try Self.check(result, principal, "ecr:" + operation, resource)
    }

    /// An action on no resource (`cloudtrail:LookupEvents`, `ecr:GetAuthorizationToken`, `iam:ListUsers`):
    /// identity policies only. `resource` is how the refusal names it (CloudTrail names none, ECR `*`).
    func authorize(
        _ principal: AccessPrincipal, action: String, resource: AccessResource = .action, region: String? = nil, from sourceIp: String? = nil
    ) async throws(AccessRefusal) {
        let arn = resource == .action ? "*" : resource.arn
        let result = await evaluate(
            principal, action: action, resource: arn, resourcePolicy: nil, resourceAccount: nil, origin: Origin(region: region, sourceIp: sourceIp))
        try Self.check(result, principal, action, resource)
    }

    /// `sts:AssumeRole` of `role` by `principal`: the role must exist, its trust name the caller, and
    /// (across accounts, or when the trust names only the account) the caller's identity policies allow it.
    func authorizeAssumeRole(_ principal: AccessPrincipal, _ role: RoleArn, region: String? = nil, from sourceIp: String? = nil) async throws(AccessRefusal) {
        let action = "sts:AssumeRole"
        let refusal = AccessRefusal(principal: principal, action: action, resource: .role(role), reason: .notTrusted)
        guard let trust = await directory.trust(of: role) else { throw refusal }
        let result = await evaluate(
            principal, action: action, resource: role.arn, resourcePolicy: NamedPolicy(id: "TrustPolicy", source: .resource, document: trust),
            resourceAccount: role.accountId, origin: Origin(region: region, sourceIp: sourceIp))
        guard result.decision == .allowed else { throw refusal }
    }

    /// The refusal a decision stands for; nothing when it allows.
    static func check(_ result: PolicyEvaluation, _ principal: AccessPrincipal, _ action: String, _ resource: AccessResource) throws(AccessRefusal) {
        let reason: AccessRefusal.Reason
        switch (result.decision, result.side) {
        case (.allowed, _): return
        case (.explicitDeny, .resource?): reason = .explicitDenyInResourcePolicy
        case (.explicitDeny, _): reason = .explicitDenyInIdentityPolicy
        case (.implicitDeny, .resource?): reason = .noResourcePolicyAllows
        case (.implicitDeny, _): reason = .noIdentityPolicyAllows
        }
        throw AccessRefusal(principal: principal, action: action, resource: resource, reason: reason)
    }
}
