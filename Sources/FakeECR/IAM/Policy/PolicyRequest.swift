import Foundation

/// One request as policy evaluation sees it: who, which action on which resource, and the request
/// context (the condition keys and their values).
struct PolicyRequest: Sendable, Equatable {
    /// The caller (an IAM user, a role session, or an account's root user).
    var principal: AccessPrincipal
    /// `ecr:PutImage`.
    var action: String
    /// The resource's ARN; `*` for an action on no resource (`ecr:GetAuthorizationToken`).
    var resource: String
    /// Condition keys, lower-cased (keys are case-insensitive), each with its values (a
    /// single-valued key has one).
    private(set) var context: [String: [String]] = [:]

    init(principal: AccessPrincipal, action: String, resource: String, context: [String: [String]] = [:]) {
        self.principal = principal
        self.action = action
        self.resource = resource
        for (key, values) in context { self.context[key.lowercased()] = values }
    }

    /// The values of `key` (case-insensitive); nil when the request context lacks it.
    func values(_ key: String) -> [String]? { context[key.lowercased()] }

    subscript(key: String) -> [String]? {
        get { context[key.lowercased()] }
        set { context[key.lowercased()] = newValue }
    }

    /// The global condition keys of a request by `principal`: `aws:PrincipalArn` (a session's role ARN),
    /// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:userid`, `aws:username` (IAM users only),
    /// `aws:PrincipalTag/…`, `aws:CurrentTime`, `aws:EpochTime`, `aws:SecureTransport`,
    /// `aws:RequestedRegion` and `aws:SourceIp`. `resourceTags` add `aws:ResourceTag/…` and
    /// `ecr:ResourceTag/…`.
    static func globalContext(
        principal: AccessPrincipal, userId: String?, principalTags: [String: String], region: String?, sourceIp: String?, secureTransport: Bool,
        resourceTags: [String: String] = [:], now: Date
    ) -> [String: [String]] {
        var context: [String: [String]] = [
            "aws:PrincipalArn": [principal.roleArn ?? principal.arn],
            "aws:PrincipalAccount": [principal.accountId],
            "aws:CurrentTime": [PolicyCondition.timeText(now)],
            "aws:EpochTime": [String(Int64(now.timeIntervalSince1970))],
            "aws:SecureTransport": [secureTransport ? "true" : "false"],
        ]
        if principal.arn == principal.accountRootArn {
            context["aws:PrincipalType"] = ["Account"]
        } else if principal.roleArn != nil {
            context["aws:PrincipalType"] = ["AssumedRole"]
        } else if let name = principal.userName {
            context["aws:PrincipalType"] = ["User"]
            context["aws:username"] = [name]
        }
        if let userId { context["aws:userid"] = [userId] }
        if let region { context["aws:RequestedRegion"] = [region] }
        if let sourceIp { context["aws:SourceIp"] = [sourceIp] }
        for (key, value) in principalTags { context["aws:PrincipalTag/" + key] = [value] }
        for (key, value) in resourceTags {
            context["aws:ResourceTag/" + key] = [value]
            context["ecr:ResourceTag/" + key] = [value]
        }
        return context
    }
}
