import ECRWire
import Foundation
import Synchronization

/// The `userIdentity` of a record and the rules CloudTrail derives from records: who called, whether
/// a call is read-only, which resource it concerned, the `Username` LookupEvents shows.
enum TrailIdentity {
    /// The identity of a caller known by its access key: an IAM user, or an assumed-role session.
    /// Every call's record needs one, so the answers are kept (they depend on the arguments alone; a
    /// role session that does not say when it was issued is dated `now`, and not kept).
    static func of(_ principal: AccountDirectory.Principal, accessKeyId: String?, now: Date) -> CloudTrailRecord.UserIdentity {
        let key = KnownIdentity(
            accountId: principal.accountId, arn: principal.arn, userId: principal.userId, issuedAt: principal.issuedAt, accessKeyId: accessKeyId)
        if let identity = known.withLock({ $0[key] }) { return identity }
        let identity = resolved(principal, accessKeyId: accessKeyId, now: now)
        if identity.type != "AssumedRole" || principal.issuedAt != nil {
            known.withLock { known in
                if known.count >= 10_000 { known.removeAll(keepingCapacity: true) }
                known[key] = identity
            }
        }
        return identity
    }

    private struct KnownIdentity: Hashable {
        var accountId: String
        var arn: String
        var userId: String
        var issuedAt: Date?
        var accessKeyId: String?
    }

    private static let known = Mutex<[KnownIdentity: CloudTrailRecord.UserIdentity]>([:])

    private static func resolved(_ principal: AccountDirectory.Principal, accessKeyId: String?, now: Date) -> CloudTrailRecord.UserIdentity {
        if let session = RoleSession(arn: principal.arn) {
            let roleId = principal.userId.split(separator: ":").first.map(String.init) ?? AccountDirectory.roleId(of: session.roleArn)
            let issuer = CloudTrailRecord.SessionContext.SessionIssuer(
                principalId: roleId, arn: session.roleArn, accountId: principal.accountId, userName: session.role)
            let attributes = CloudTrailRecord.SessionContext.Attributes(creationDate: CloudTrailRecord.timeText(principal.issuedAt ?? now))
            return CloudTrailRecord.UserIdentity(
                type: "AssumedRole", principalId: principal.userId, arn: principal.arn, accountId: principal.accountId, accessKeyId: accessKeyId,
                sessionContext: CloudTrailRecord.SessionContext(sessionIssuer: issuer, attributes: attributes))
        }
        let userName = principal.arn.split(separator: "/").last.map(String.init)
        return CloudTrailRecord.UserIdentity(
            type: "IAMUser", principalId: principal.userId, arn: principal.arn, accountId: principal.accountId, accessKeyId: accessKeyId,
            userName: userName)
    }

    /// An AWS service acting on the account's behalf (`ecr.amazonaws.com` creating a cache repository).
    static func service(_ name: String) -> CloudTrailRecord.UserIdentity {
        CloudTrailRecord.UserIdentity(type: "AWSService", invokedBy: name)
    }

    /// Read-only calls, as CloudTrail marks them: Describe*, List*, Get*, BatchGet*, BatchCheck*.
    static func isReadOnly(_ eventName: String) -> Bool {
        ["Describe", "List", "Get", "BatchGet", "BatchCheck", "Lookup"].contains { eventName.hasPrefix($0) }
    }

    static let repositoryType = "AWS::ECR::Repository"

    /// The `resources` entry of a repository-scoped ECR call.
    static func repository(_ name: String, in key: RegistryKey) -> CloudTrailRecord.Resource {
        CloudTrailRecord.Resource(accountId: key.accountId, type: repositoryType, arn: key.repositoryArn(name))
    }

    /// The resource's name as LookupEvents shows it (`ResourceName`): for a repository, its name.
    static func name(of resource: CloudTrailRecord.Resource) -> String? {
        guard let arn = resource.arn else { return nil }
        if let range = arn.range(of: ":repository/") { return String(arn[range.upperBound...]) }
        return arn
    }

    /// The `Username` of LookupEvents: the user's name, the role session's name, or the service.
    static func username(of identity: CloudTrailRecord.UserIdentity) -> String? {
        if let userName = identity.userName { return userName }
        if identity.type == "AssumedRole", let arn = identity.arn { return RoleSession(arn: arn)?.session }
        return identity.invokedBy
    }
}

/// `arn:aws:sts::<account>:assumed-role/<role>/<session>` taken apart.
struct RoleSession {
    var partition: String
    var accountId: String
    var role: String
    var session: String
    var roleArn: String { "arn:\(partition):iam::\(accountId):role/\(role)" }

    init?(arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "sts", parts[5].hasPrefix("assumed-role/") else { return nil }
        let path = parts[5].dropFirst("assumed-role/".count).split(separator: "/")
        guard path.count >= 2, let role = path.first, let session = path.last else { return nil }
        partition = String(parts[1])
        accountId = String(parts[4])
        self.role = String(role)
        self.session = String(session)
    }
}
