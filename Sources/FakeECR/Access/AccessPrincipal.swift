import Foundation

/// Who makes a request, as access decisions see it: an account and the caller's ARN (an IAM user,
/// or a role session `arn:aws:sts::<account>:assumed-role/<role>/<session>`). Signed control-plane
/// and STS calls carry it through their access key; `/v2/` calls through the registry password.
public struct AccessPrincipal: Sendable, Hashable, CustomStringConvertible {
    public var accountId: String
    public var arn: String

    public init(accountId: String, arn: String) {
        self.accountId = accountId
        self.arn = arn
    }

    /// `arn:aws:iam::<account>:root`, the account itself as a policy principal.
    public var accountRootArn: String { "arn:aws:iam::\(accountId):root" }

    /// For a role session, the role's ARN (`arn:aws:iam::<account>:role/<name>`), which a policy
    /// names to mean every session of that role.
    public var roleArn: String? { RoleSession(arn: arn)?.roleArn }

    /// For an IAM user (`arn:aws:iam::<account>:user/<path/>name`), its name.
    public var userName: String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "iam", parts[5].hasPrefix("user/") else { return nil }
        return parts[5].split(separator: "/").last.map(String.init)
    }

    public var description: String { arn }
}
