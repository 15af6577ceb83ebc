import Foundation
import Synchronization

/// Who holds which access key: the accounts of `--accounts FILE` (or one default account that
/// accepts any key) and the temporary credentials handed out by AssumeRole.
public actor AccountDirectory {
    /// A principal known by its access key.
    public struct Principal: Sendable, Equatable {
        public var accountId: String
        /// The secret to verify signatures with; nil when any signature is accepted (no accounts file).
        var secretAccessKey: String?
        /// For temporary credentials: the session token the request must carry.
        var sessionToken: String?
        public var expiration: Date?
        public var arn: String
        public var userId: String
        /// When AssumeRole issued these temporary credentials (a role session's `creationDate`).
        public var issuedAt: Date?

        /// The principal as access decisions see it.
        public var access: AccessPrincipal { AccessPrincipal(accountId: accountId, arn: arn) }
    }

    let accounts: AccountsFile?
    private let defaultAccountId: String
    var byAccessKey: [String: Principal] = [:] {
        didSet { answers.withLock { $0.principals.removeAll(keepingCapacity: true) } }
    }
    private var temporary: [String: Principal] = [:] {
        didSet { answers.withLock { $0.principals.removeAll(keepingCapacity: true) } }
    }
    /// Users, roles and managed policies by account (the accounts file's, changed by the IAM API).
    var iam: [String: IAMAccount] {
        didSet { answers.withLock { $0.identities.removeAll(keepingCapacity: true) } }
    }
    /// The answers of `principal(accessKeyId:)` (under the current keys) and `identity(of:enforcing:)`
    /// (under the current `iam`; they depend on nothing else), read without entering the actor: every
    /// call asks both, and a hop onto a busy actor is a hand-off between threads. The actor writes them,
    /// and empties them in the same step as it changes what they were derived from.
    nonisolated let answers = Mutex(Answers())
    struct Answers: Sendable {
        var principals: [String: Principal] = [:]
        var identities: [IdentityKey: IAMIdentity] = [:]
    }
    struct IdentityKey: Hashable, Sendable {
        var principal: AccessPrincipal
        var enforcing: Bool
    }
    /// Past this many access keys or principals (role sessions each have their own ARN) the kept answers start over.
    static let maxKeptIdentities = 10_000

    public init(accounts: AccountsFile?, defaultAccountId: String) {
        self.init(accounts: accounts, defaultAccountId: defaultAccountId, restoring: nil)
    }

    /// `snapshot`: the IAM kept in the data directory by an earlier run (`persist(to:)`), laid over the accounts file's.
    init(accounts: AccountsFile?, defaultAccountId: String, restoring snapshot: Snapshot?) {
        var (iam, keys) = Self.declared(accounts)
        if let snapshot { Self.restoring(snapshot, iam: &iam, keys: &keys) }
        self.accounts = accounts
        self.defaultAccountId = defaultAccountId
        self.iam = iam
        byAccessKey = keys
    }

    /// The IAM entities and the access keys the accounts file declares.
    static func declared(_ accounts: AccountsFile?) -> (iam: [String: IAMAccount], keys: [String: Principal]) {
        let iam = iamAccounts(accounts, now: Date())
        var keys: [String: Principal] = [:]
        for account in accounts?.accounts ?? [] {
            let user = account.userName ?? "fake-ecr-user"
            keys[account.accessKeyId] = Principal(
                accountId: account.accountId, secretAccessKey: account.secretAccessKey, sessionToken: nil, expiration: nil,
                arn: "arn:aws:iam::\(account.accountId):user/\(user)", userId: userId(for: account.accessKeyId))
            for declared in account.users {
                for key in declared.accessKeys {
                    keys[key.accessKeyId] = Principal(
                        accountId: account.accountId, secretAccessKey: key.secretAccessKey, sessionToken: nil, expiration: nil,
                        arn: "arn:aws:iam::\(account.accountId):user/\(declared.userName)",
                        userId: iam[account.accountId]?.users[declared.userName]?.userId ?? userId(for: key.accessKeyId))
                }
            }
        }
        return (iam, keys)
    }

    /// Whether an accounts file restricts who may call.
    public var hasAccountsFile: Bool { accounts != nil }

    /// The principal of an access key: a temporary key from AssumeRole, a key of the accounts
    /// file, or (with no accounts file) the default account. Nil when the key is unknown.
    public nonisolated func principal(accessKeyId: String) async -> Principal? {
        if let known = answers.withLock({ $0.principals[accessKeyId] }) { return known }
        return await resolvedPrincipal(accessKeyId: accessKeyId)
    }

    private func resolvedPrincipal(accessKeyId: String) -> Principal? {
        guard let principal = temporary[accessKeyId] ?? byAccessKey[accessKeyId] ?? (accounts == nil ? defaultPrincipal(accessKeyId: accessKeyId) : nil) else {
            return nil
        }
        answers.withLock { answers in
            if answers.principals.count >= Self.maxKeptIdentities { answers.principals.removeAll(keepingCapacity: true) }
            answers.principals[accessKeyId] = principal
        }
        return principal
    }

    /// The principal whose ARN is `arn`, with an access key of it (the `/v2/` plane knows callers by ARN only).
    public func principal(arn: String) -> (principal: Principal, accessKeyId: String)? {
        if let (key, principal) = temporary.first(where: { $0.value.arn == arn }) { return (principal, key) }
        if let (key, principal) = byAccessKey.sorted(by: { $0.key < $1.key }).first(where: { $0.value.arn == arn }) { return (principal, key) }
        return nil
    }

    /// The principal of a request without usable credentials (only with `--auth none`).
    public func defaultPrincipal(accessKeyId: String? = nil) -> Principal {
        Principal(
            accountId: defaultAccountId, secretAccessKey: nil, sessionToken: nil, expiration: nil,
            arn: "arn:aws:iam::\(defaultAccountId):user/fake-ecr-user", userId: Self.userId(for: accessKeyId ?? "AKIAFAKEECRDEFAULT00"))
    }

    /// Temporary credentials for `role` (which the access gate let the caller assume).
    func assumeRole(role: RoleArn, sessionName: String, duration: TimeInterval, now: Date) -> IssuedCredentials {
        let accessKeyId = "ASIA" + Self.random(16, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let secret = Self.random(40, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let token = "FwoGZXIvYXdzE" + Self.random(300, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let expiration = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + duration).rounded(.down))
        let roleId = Self.roleId(of: role.arn)
        let principal = Principal(
            accountId: role.accountId, secretAccessKey: secret, sessionToken: token, expiration: expiration,
            arn: "arn:aws:sts::\(role.accountId):assumed-role/\(role.name)/\(sessionName)", userId: "\(roleId):\(sessionName)",
            issuedAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
        temporary[accessKeyId] = principal
        return IssuedCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token, expiration: expiration,
            assumedRoleArn: principal.arn, assumedRoleId: principal.userId)
    }

    static func userId(for accessKeyId: String) -> String { "AIDA" + stableId(accessKeyId) }

    /// A role's unique id (`AROA…`), stable for its ARN.
    static func roleId(of roleArn: String) -> String { "AROA" + stableId(roleArn) }

    /// 17 characters derived from `text` (stable across restarts), in the style of IAM unique ids.
    static func stableId(_ text: String) -> String {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(unsafeUninitializedCapacity: 17) { buffer in
            alphabet.withUTF8Buffer { letters in
                for index in 0..<17 {
                    buffer[index] = letters[Int(hash % 32)]
                    hash = (hash / 32) &* 0x9E37_79B9_7F4A_7C15 &+ 1
                }
            }
            return 17
        }
    }

    static func random(_ count: Int, alphabet: String) -> String {
        let characters = Array(alphabet)
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in characters[Int.random(in: 0..<characters.count, using: &generator)] })
    }
}

/// Credentials issued by AssumeRole (the secret parts never appear in `description`).
struct IssuedCredentials: Sendable, CustomStringConvertible {
    var accessKeyId: String
    var secretAccessKey: String
    var sessionToken: String
    var expiration: Date
    var assumedRoleArn: String
    var assumedRoleId: String

    var description: String { "IssuedCredentials(\(accessKeyId), \(assumedRoleArn), secret: <redacted>)" }
}
