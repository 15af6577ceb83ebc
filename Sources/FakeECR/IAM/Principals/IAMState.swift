import Foundation

/// The identity policies held by a user or a role.
struct IAMPermissions: Sendable, Equatable, Codable {
    /// Inline policies by name (policy text).
    var inline: [String: String] = [:]
    /// Managed policies attached, by ARN, in attachment order.
    var attached: [String] = []
    /// False for an accounts-file principal that declares no policies: it acts as its account's root.
    var declaresPolicies = true
    /// The accounts file's legacy `deniedActions` of the principal.
    var deniedActions: [String] = []
    var tags: [String: String] = [:]

    init(inline: [String: String] = [:], attached: [String] = [], declaresPolicies: Bool = true, deniedActions: [String] = [], tags: [String: String] = [:]) {
        self.inline = inline
        self.attached = attached
        self.declaresPolicies = declaresPolicies
        self.deniedActions = deniedActions
        self.tags = tags
    }

    /// From an accounts-file declaration; managed policy names resolve to the account's ARNs.
    init(_ declared: DeclaredPermissions, deniedActions: [String], accountId: String) {
        inline = declared.inlinePolicies ?? [:]
        attached = (declared.policies ?? []).map { $0.hasPrefix("arn:") ? $0 : IAMManagedPolicy.arn(accountId: accountId, name: $0) }
        declaresPolicies = declared.declaresPolicies
        self.deniedActions = deniedActions
        tags = declared.tags
    }
}

struct IAMUser: Sendable, Equatable, Codable {
    var name: String
    var path = "/"
    var userId: String
    var arn: String
    var created: Date
    var permissions: IAMPermissions
}

struct IAMRole: Sendable, Equatable, Codable {
    var name: String
    var path = "/"
    var roleId: String
    var arn: String
    var created: Date
    /// The trust policy (text).
    var trustPolicy: String
    var description: String?
    var maxSessionDuration = 3600
    var permissions: IAMPermissions
}

struct IAMManagedPolicy: Sendable, Equatable, Codable {
    var name: String
    var path = "/"
    var policyId: String
    var arn: String
    var created: Date
    var updated: Date
    var description: String?
    var document: String

    static func arn(accountId: String, name: String) -> String { "arn:aws:iam::\(accountId):policy/\(name)" }
}

/// An access key of a user (the accounts file's, or CreateAccessKey's).
struct IAMAccessKey: Sendable, Equatable, Codable {
    var accessKeyId: String
    var userName: String
    var created: Date
    var active = true
}

/// One account's IAM: users, roles, customer managed policies.
struct IAMAccount: Sendable, Equatable, Codable {
    var users: [String: IAMUser] = [:]
    var roles: [String: IAMRole] = [:]
    /// By ARN.
    var policies: [String: IAMManagedPolicy] = [:]
    var accessKeys: [String: IAMAccessKey] = [:]
    /// An accounts-file account without `assumableRoles`: any role name exists, trusted by the account only.
    var anyRole = false
}

/// What access decisions need to know of a caller: its identity policies and its context keys.
struct IAMIdentity: Sendable, Equatable {
    var policies: IdentityPolicies
    var userId: String?
    var tags: [String: String]
    /// False for a user or role the directory does not know (it holds no policies).
    var exists = true
}
