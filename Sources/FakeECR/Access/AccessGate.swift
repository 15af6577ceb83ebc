import Foundation

/// The one gate every access to a registry passes: the control plane's operations (through
/// `ECRRequestContext`), the `/v2/` data plane (through the identity its registry password
/// carries) and STS AssumeRole. THE place the rules between accounts live:
///
/// - within its own account a caller may do anything (the fake has no identity policies yet),
///   except what a Deny statement of the repository's policy forbids;
/// - registry-level operations (CreateRepository, DescribeRepositories of a whole registry, pull
///   through cache rules, registry settings) on another account's registry are refused;
/// - another account's repository is open only for the actions its repository policy
///   (SetRepositoryPolicy) allows the caller's account or principal (`PolicyDocument`);
/// - a role may be assumed by principals its trust names (`AccountDirectory.trust(of:)`);
/// - an action the accounts file's `deniedActions` names for the caller (its account's user, or the
///   role it assumed) is refused as a missing identity-based policy would refuse it. This stands in
///   for identity policies until the fake evaluates real ones.
struct AccessGate: Sendable {
    let store: RegistryStore
    let directory: AccountDirectory

    /// A registry-level ECR operation (`operation` as `CreateRepository`) on `key`'s registry.
    func authorize(_ principal: AccessPrincipal, _ operation: String, registry key: RegistryKey, naming name: String? = nil) throws(AccessRefusal) {
        guard principal.accountId != key.accountId else { return }
        throw AccessRefusal(principal: principal, action: "ecr:" + operation, resource: .registry(key, naming: name), reason: .noPolicyAllows)
    }

    /// An ECR operation (`BatchGetImage`) on the repository `name` of `key`'s registry, by either plane.
    func authorize(_ principal: AccessPrincipal, _ operation: String, repository name: String, in key: RegistryKey) async throws(AccessRefusal) {
        let action = "ecr:" + operation
        let policyText = try? await store.read(key) { $0.repositories[name]?.repositoryPolicyText }
        let decision = (policyText ?? nil).flatMap(PolicyDocument.init(text:))?.decision(for: principal, action: action) ?? .noMatch
        let refusal = { (reason: AccessRefusal.Reason) in
            AccessRefusal(principal: principal, action: action, resource: .repository(key, name), reason: reason)
        }
        switch decision {
        case .explicitDeny: throw refusal(.explicitDeny)
        case .allow: return
        case .noMatch:
            guard principal.accountId == key.accountId else { throw refusal(.noPolicyAllows) }
        }
    }

    /// An action (`cloudtrail:LookupEvents`, `ecr:CreateRepository`) as the caller's identity policies
    /// decide it: refused when its `deniedActions` names it.
    func authorize(_ principal: AccountDirectory.Principal, action: String) throws(AccessRefusal) {
        guard principal.deniedActions.contains(where: { PolicyDocument.pattern($0, matches: action) }) else { return }
        throw AccessRefusal(principal: principal.access, action: action, resource: .action, reason: .noIdentityPolicyAllows)
    }

    /// `sts:AssumeRole` of `role` by `principal`: the role must exist and trust the caller.
    func authorizeAssumeRole(_ principal: AccessPrincipal, _ role: RoleArn) async throws(AccessRefusal) {
        let action = "sts:AssumeRole"
        guard let trust = await directory.trust(of: role),
            trust.decision(for: principal, action: action) == .allow
        else {
            throw AccessRefusal(principal: principal, action: action, resource: .role(role), reason: .notTrusted)
        }
    }
}
