import Foundation

/// A policy as evaluation names it in its answer (SimulatePrincipalPolicy's `MatchedStatements`).
struct NamedPolicy: Sendable, Equatable {
    /// IAM's `SourcePolicyType`.
    enum Source: String, Sendable, Equatable {
        case user, role, awsManaged = "aws-managed", userManaged = "user-managed", resource, none
    }

    /// The policy's name (inline), ARN (managed), or `RepositoryPolicy`.
    var id: String
    var source: Source
    var document: PolicyDocument
}

/// The identity-based side of a request: the policies of the caller, or none to evaluate because
/// the caller is its account's root (an access key of the accounts file that declares no policies).
enum IdentityPolicies: Sendable, Equatable {
    case root
    case policies([NamedPolicy])
}

/// The statement of a policy that decided a request.
struct MatchedStatement: Sendable, Equatable {
    var policy: String
    var source: NamedPolicy.Source
    var index: Int
    var effect: PolicyStatement.Effect
}

/// How IAM decides one request, as its "Policy evaluation logic" documents it (no SCPs, permissions
/// boundaries or session policies in this fake):
///
/// 1. an explicit Deny in any applicable policy (identity or resource) refuses;
/// 2. within the resource's account, an Allow of an identity policy, or of the resource policy
///    naming the caller (its user, role, session, or everyone), allows; a resource policy naming
///    the account delegates to the account's identity policies;
/// 3. across accounts, both must allow: the caller's identity policy and the resource policy
///    naming the caller or its account;
/// 4. otherwise the request is implicitly denied.
///
/// An action on no resource (`ecr:GetAuthorizationToken`) has no resource policy: identity only.
struct PolicyEvaluation: Sendable, Equatable {
    enum Decision: String, Sendable, Equatable {
        case allowed, explicitDeny, implicitDeny
    }

    /// Which kind of policy a refusal is about (its wording names it).
    enum Side: Sendable, Equatable { case identity, resource }

    var decision: Decision
    /// For an explicit deny: the policy kind of the Deny; for an implicit deny: the kind that did not allow.
    var side: Side?
    /// The statements that decided: the Deny statements of an explicit deny, the Allows of an allow.
    var matched: [MatchedStatement]

    static func evaluate(
        _ request: PolicyRequest, identity: IdentityPolicies, resource: NamedPolicy?, resourceAccount: String?
    ) -> PolicyEvaluation {
        var identityAllows: [MatchedStatement] = [], identityDenies: [MatchedStatement] = []
        var direct: [MatchedStatement] = [], delegated: [MatchedStatement] = [], resourceDenies: [MatchedStatement] = []
        if case .policies(let policies) = identity {
            for policy in policies {
                for (index, statement) in policy.document.statements.enumerated()
                where statement.applies(to: request, variables: policy.document.expandsVariables) {
                    let match = MatchedStatement(policy: policy.id, source: policy.source, index: index, effect: statement.effect)
                    if statement.effect == .deny { identityDenies.append(match) } else { identityAllows.append(match) }
                }
            }
        }
        if let resource {
            for (index, statement) in resource.document.statements.enumerated()
            where statement.applies(to: request, variables: resource.document.expandsVariables) {
                let naming = statement.naming(request.principal)
                guard naming != .none else { continue }
                let match = MatchedStatement(policy: resource.id, source: resource.source, index: index, effect: statement.effect)
                switch (statement.effect, naming) {
                case (.deny, _): resourceDenies.append(match)
                case (.allow, .caller): direct.append(match)
                case (.allow, _): delegated.append(match)
                }
            }
        }
        if !identityDenies.isEmpty || !resourceDenies.isEmpty {
            return PolicyEvaluation(decision: .explicitDeny, side: identityDenies.isEmpty ? .resource : .identity, matched: identityDenies + resourceDenies)
        }
        let identityAllowed = identity == .root || !identityAllows.isEmpty
        let sameAccount = resourceAccount.map { $0 == request.principal.accountId } ?? true
        if sameAccount {
            if identityAllowed || !direct.isEmpty { return PolicyEvaluation(decision: .allowed, side: nil, matched: identityAllows + direct) }
            return PolicyEvaluation(decision: .implicitDeny, side: .identity, matched: [])
        }
        let resourceAllowed = !direct.isEmpty || !delegated.isEmpty
        if identityAllowed && resourceAllowed {
            return PolicyEvaluation(decision: .allowed, side: nil, matched: identityAllows + direct + delegated)
        }
        return PolicyEvaluation(decision: .implicitDeny, side: identityAllowed ? .resource : .identity, matched: [])
    }
}

extension PolicyStatement {
    /// How a resource policy's statement names a caller.
    enum Naming: Sendable, Equatable {
        case none
        /// The caller itself: its user or session ARN, its role's ARN, or `*`.
        case caller
        /// The caller's account (`123456789012`, `arn:aws:iam::123456789012:root`): delegated to that
        /// account's identity policies (for the root user, the caller itself).
        case account
    }

    /// Whether `Principal` (or `NotPrincipal`) of this statement covers `principal`.
    func naming(_ principal: AccessPrincipal) -> Naming {
        if let listed = self.principal { return listed.naming(principal) }
        if let excluded = notPrincipal { return excluded.naming(principal) == .none ? .caller : .none }
        return .none
    }

    /// Whether the statement's action, resource and conditions cover `request` (its principal aside).
    func applies(to request: PolicyRequest, variables: Bool) -> Bool {
        let actionMatches: Bool
        switch actions {
        case .only(let patterns): actionMatches = patterns.contains { PolicyPattern.action($0, matches: request.action) }
        case .not(let patterns): actionMatches = !patterns.contains { PolicyPattern.action($0, matches: request.action) }
        }
        guard actionMatches else { return false }
        let resourceMatches = { (pattern: String) -> Bool in
            guard let expanded = variables ? PolicyVariables.expand(pattern, in: request) : pattern else { return false }
            return PolicyPattern.arn(expanded, matches: request.resource)
        }
        switch resources {
        case nil: break
        case .only(let patterns)?: guard patterns.contains(where: resourceMatches) else { return false }
        case .not(let patterns)?: guard !patterns.contains(where: resourceMatches) else { return false }
        }
        return conditions.allSatisfy { $0.holds(for: request, variables: variables) }
    }
}

extension PolicyStatement.Principals {
    func naming(_ principal: AccessPrincipal) -> PolicyStatement.Naming {
        if everyone { return .caller }
        var result = PolicyStatement.Naming.none
        for value in aws {
            if value == principal.arn || value == principal.roleArn { return .caller }
            if value == principal.accountId || value == principal.accountRootArn {
                result = principal.arn == principal.accountRootArn ? .caller : .account
            }
        }
        return result
    }
}
