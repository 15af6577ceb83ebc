import ECRWire
import Foundation

/// What the access gate protects: a registry as a whole, one repository, or a role to assume.
enum AccessResource: Sendable, Equatable {
    /// A registry-level operation (CreateRepository names the repository it would create).
    case registry(RegistryKey, naming: String?)
    case repository(RegistryKey, String)
    case role(RoleArn)
    /// An action that names no resource (`cloudtrail:LookupEvents`): the refusal names none.
    case action
    /// An action on every resource, named `*` (`ecr:GetAuthorizationToken`).
    case any
    /// Any other resource by its ARN (an IAM user, role or policy).
    case named(String)

    var arn: String {
        switch self {
        case .action, .any: return "*"
        case .registry(let key, let name): return key.repositoryArn(name ?? "*")
        case .repository(let key, let name): return key.repositoryArn(name)
        case .role(let role): return role.arn
        case .named(let arn): return arn
        }
    }
}

/// A request the gate refused, worded as each plane words it: ECR's AccessDeniedException, the
/// registry's `DENIED`, STS's `AccessDenied`.
struct AccessRefusal: Error, Sendable, Equatable {
    enum Reason: Sendable, Equatable {
        /// Another account's resource, and no resource-based policy lets the caller in.
        case noResourcePolicyAllows
        /// A Deny statement of the resource's policy names the caller and the action.
        case explicitDenyInResourcePolicy
        /// A Deny statement of the caller's identity policies names the action.
        case explicitDenyInIdentityPolicy
        /// The role's trust does not name the caller (or its identity policies do not allow sts:AssumeRole).
        case notTrusted
        /// The caller's identity policies do not allow the action.
        case noIdentityPolicyAllows
    }

    var principal: AccessPrincipal
    /// `ecr:BatchGetImage`, `sts:AssumeRole`.
    var action: String
    var resource: AccessResource
    var reason: Reason

    /// AWS's words: `User: <arn> is not authorized to perform: <action> on resource: <arn> because no
    /// identity-based policy allows the <action> action` (CloudTrail names no resource), `… with an
    /// explicit deny in a resource-based policy`; STS's AssumeRole names the role and no reason.
    var message: String {
        var head = "User: \(principal.arn) is not authorized to perform: \(action)"
        if resource != .action { head += " on resource: \(resource.arn)" }
        switch reason {
        case .noIdentityPolicyAllows: return head + " because no identity-based policy allows the \(action) action"
        case .noResourcePolicyAllows: return head + " because no resource-based policy allows the \(action) action"
        case .explicitDenyInResourcePolicy: return head + " with an explicit deny in a resource-based policy"
        case .explicitDenyInIdentityPolicy: return head + " with an explicit deny in an identity-based policy"
        case .notTrusted: return head
        }
    }

    var ecrError: ECRError { ECRError(.accessDenied, message) }
    var distributionError: DistributionError { .denied(message) }
    var stsError: STSError { STSError(code: "AccessDenied", status: 403, message: message) }
}
