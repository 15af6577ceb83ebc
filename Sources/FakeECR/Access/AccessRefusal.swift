import ECRWire
import Foundation

/// What the access gate protects: a registry as a whole, one repository, or a role to assume.
enum AccessResource: Sendable, Equatable {
    /// A registry-level operation (CreateRepository names the repository it would create).
    case registry(RegistryKey, naming: String?)
    case repository(RegistryKey, String)
    case role(RoleArn)
    /// An action that names no resource (`cloudtrail:LookupEvents`).
    case action

    var arn: String {
        switch self {
        case .action: return "*"
        case .registry(let key, let name): return key.repositoryArn(name ?? "*")
        case .repository(let key, let name): return key.repositoryArn(name)
        case .role(let role): return role.arn
        }
    }
}

/// A request the gate refused, worded as each plane words it: ECR's AccessDeniedException, the
/// registry's `DENIED`, STS's `AccessDenied`.
struct AccessRefusal: Error, Sendable, Equatable {
    enum Reason: Sendable, Equatable {
        /// Another account's resource, and no resource-based policy lets the caller in.
        case noPolicyAllows
        /// A Deny statement of the resource's policy names the caller and the action.
        case explicitDeny
        /// The role's trust does not name the caller.
        case notTrusted
        /// The caller's identity policies do not allow the action (the accounts file's `deniedActions`).
        case noIdentityPolicyAllows
    }

    var principal: AccessPrincipal
    /// `ecr:BatchGetImage`, `sts:AssumeRole`.
    var action: String
    var resource: AccessResource
    var reason: Reason

    var message: String {
        if reason == .noIdentityPolicyAllows {
            return "User: \(principal.arn) is not authorized to perform: \(action) because no identity-based policy allows the \(action) action"
        }
        let head = "User: \(principal.arn) is not authorized to perform: \(action) on resource: \(resource.arn)"
        switch reason {
        case .noPolicyAllows: return head + " because no resource-based policy allows the \(action) action"
        case .explicitDeny: return head + " with an explicit deny in a resource-based policy"
        case .notTrusted, .noIdentityPolicyAllows: return head
        }
    }

    var ecrError: ECRError { ECRError(.accessDenied, message) }
    var distributionError: DistributionError { .denied(message) }
    var stsError: STSError { STSError(code: "AccessDenied", status: 403, message: message) }
}
