import Foundation

/// IAM actions a principal must be allowed on some resources: what a `permissionsGranted` check asks, and what a
/// step of the lab needs (its `permissions`, shown by `labcheck doctor`).
public struct PermissionGrant: Sendable, Hashable {
    /// Actions such as `ecr:PutImage`.
    public var actions: [String]
    /// Resource ARNs (templates: `arn:aws:ecr:${region}:${account}:repository/${prefix}/nginx/nginx`), or `*`.
    public var resources: [Template]

    public init(actions: [String], resources: [Template]) {
        self.actions = actions
        self.resources = resources
    }

    /// The templates of the resources.
    public var templates: [Template] { resources }
}

/// `permissionsGranted`: the principal (the caller when nil; for an assumed role, the role) may perform every
/// action of `permissions`, as IAM's policy simulator (SimulatePrincipalPolicy) judges its identity policies.
public struct PermissionCheck: Sendable, Hashable {
    /// The ARN of a user or role to check instead of the caller.
    public var principal: Template?
    public var permissions: [PermissionGrant]

    public init(principal: Template?, permissions: [PermissionGrant]) {
        self.principal = principal
        self.permissions = permissions
    }

    public var templates: [Template] { (principal.map { [$0] } ?? []) + permissions.flatMap(\.templates) }
}
