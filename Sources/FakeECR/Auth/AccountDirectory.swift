import Foundation

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
    }

    private let accounts: AccountsFile?
    private let defaultAccountId: String
    private var byAccessKey: [String: Principal] = [:]
    private var temporary: [String: Principal] = [:]

    public init(accounts: AccountsFile?, defaultAccountId: String) {
        self.accounts = accounts
        self.defaultAccountId = defaultAccountId
        for account in accounts?.accounts ?? [] {
            let user = account.userName ?? "fake-ecr-user"
            byAccessKey[account.accessKeyId] = Principal(
                accountId: account.accountId, secretAccessKey: account.secretAccessKey, sessionToken: nil, expiration: nil,
                arn: "arn:aws:iam::\(account.accountId):user/\(user)", userId: Self.userId(for: account.accessKeyId))
        }
    }

    /// Whether an accounts file restricts who may call.
    public var hasAccountsFile: Bool { accounts != nil }

    /// The principal of an access key: a temporary key from AssumeRole, a key of the accounts
    /// file, or (with no accounts file) the default account. Nil when the key is unknown.
    public func principal(accessKeyId: String) -> Principal? {
        if let principal = temporary[accessKeyId] { return principal }
        if let principal = byAccessKey[accessKeyId] { return principal }
        if accounts == nil { return defaultPrincipal(accessKeyId: accessKeyId) }
        return nil
    }

    /// The principal of a request without usable credentials (only with `--auth none`).
    public func defaultPrincipal(accessKeyId: String? = nil) -> Principal {
        Principal(
            accountId: defaultAccountId, secretAccessKey: nil, sessionToken: nil, expiration: nil,
            arn: "arn:aws:iam::\(defaultAccountId):user/fake-ecr-user", userId: Self.userId(for: accessKeyId ?? "AKIAFAKEECRDEFAULT00"))
    }

    /// Temporary credentials for `role`, or the STS error that refuses them.
    func assumeRole(caller: Principal, role: RoleArn, sessionName: String, duration: TimeInterval, now: Date) throws -> IssuedCredentials {
        if let accounts {
            let targets = accounts.accounts.filter { $0.accountId == role.accountId }
            let allowed = !targets.isEmpty && targets.contains { $0.assumableRoles.map { $0.contains(role.arn) } ?? true }
            guard allowed else {
                throw STSError(
                    code: "AccessDenied", status: 403,
                    message: "User: \(caller.arn) is not authorized to perform: sts:AssumeRole on resource: \(role.arn)")
            }
        }
        let accessKeyId = "ASIA" + Self.random(16, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let secret = Self.random(40, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let token = "FwoGZXIvYXdzE" + Self.random(300, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let expiration = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + duration).rounded(.down))
        let roleId = "AROA" + Self.stableId(role.arn)
        let principal = Principal(
            accountId: role.accountId, secretAccessKey: secret, sessionToken: token, expiration: expiration,
            arn: "arn:aws:sts::\(role.accountId):assumed-role/\(role.name)/\(sessionName)", userId: "\(roleId):\(sessionName)")
        temporary[accessKeyId] = principal
        return IssuedCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token, expiration: expiration,
            assumedRoleArn: principal.arn, assumedRoleId: principal.userId)
    }

    static func userId(for accessKeyId: String) -> String { "AIDA" + stableId(accessKeyId) }

    /// 17 characters derived from `text` (stable across restarts), in the style of IAM unique ids.
    static func stableId(_ text: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var result = ""
        for _ in 0..<17 {
            result.append(alphabet[Int(hash % 32)])
            hash = (hash / 32) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        }
        return result
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
