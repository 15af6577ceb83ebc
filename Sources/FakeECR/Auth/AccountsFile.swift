import ECRWire
import Foundation

/// The `--accounts FILE` document: which access keys belong to which 12-digit account.
///
/// ```json
/// {"accounts": [{"accountId": "111111111111", "accessKeyId": "AKIA...", "secretAccessKey": "...",
///                "userName": "student01", "deniedActions": ["cloudtrail:LookupEvents"],
///                "assumableRoles": [{"arn": "arn:aws:iam::111111111111:role/LabCheckGrader",
///                                    "trustedAccounts": ["999999999999"], "deniedActions": ["ecr:Delete*"]}]}]}
/// ```
///
/// A role is a bare ARN (trusted by its own account only) or an object whose `trustedAccounts`
/// (account ids) and `trustedPrincipals` (`arn:aws:iam::ACCOUNT:root`, user or role ARNs) may
/// assume it too, as a trust policy's `Principal` would name them. `deniedActions` (IAM action
/// patterns) are refused to the account's user, or to the role's sessions, as if no identity-based
/// policy allowed them.
///
/// IAM (`fake-ecr serve --iam enforce` enforces it): an account's key, its `users` (each with
/// `accessKeys`) and its roles may declare `policies` (names of the account's `managedPolicies`, or
/// AWS managed policy ARNs), `inlinePolicies` (name → policy document) and `tags`; a role may
/// declare a `trustPolicy` document. A principal that declares no policies acts as the account's
/// root (allowed everything). Policy documents are checked as IAM checks them.
public struct AccountsFile: Sendable, Equatable, Decodable {
    public struct Account: Sendable, Equatable, Decodable, CustomStringConvertible {
        public var accountId: String
        public var accessKeyId: String
        public var secretAccessKey: String
        public var userName: String?
        /// Roles of this account that may be assumed, with their trust; nil: any role of the account,
        /// trusted by the account only.
        public var assumableRoles: [AssumableRole]?
        /// IAM actions (patterns with `*`, `cloudtrail:LookupEvents`) the account's user may not
        /// perform: answered AccessDeniedException as a missing identity-based policy would be.
        public var deniedActions: [String]?
        /// The identity policies of the account key's user (none declared: the account's root, allowed everything).
        public var permissions = DeclaredPermissions()
        /// More IAM users of the account, with their own access keys and policies.
        public var users: [DeclaredUser] = []
        /// Customer managed policies of the account, attached by name.
        public var managedPolicies: [DeclaredPolicy] = []

        public init(
            accountId: String, accessKeyId: String, secretAccessKey: String, userName: String? = nil, assumableRoles: [AssumableRole]? = nil,
            deniedActions: [String]? = nil
        ) {
            self.accountId = accountId
            self.accessKeyId = accessKeyId
            self.secretAccessKey = secretAccessKey
            self.userName = userName
            self.assumableRoles = assumableRoles
            self.deniedActions = deniedActions
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case accountId, accessKeyId, secretAccessKey, userName, assumableRoles, deniedActions, users, managedPolicies
        }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.allCases.map(\.rawValue) + DeclaredPermissions.keys)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            accountId = try container.decode(String.self, forKey: .accountId)
            guard accountId.count == 12, accountId.allSatisfy(\.isNumber) else {
                throw DecodingError.dataCorruptedError(forKey: .accountId, in: container, debugDescription: "expected a 12-digit account id")
            }
            accessKeyId = try container.decode(String.self, forKey: .accessKeyId)
            guard (16...128).contains(accessKeyId.count), accessKeyId.allSatisfy({ $0.isLetter || $0.isNumber }) else {
                throw DecodingError.dataCorruptedError(forKey: .accessKeyId, in: container, debugDescription: "expected an access key id of 16 to 128 letters and digits")
            }
            secretAccessKey = try container.decode(String.self, forKey: .secretAccessKey)
            guard !secretAccessKey.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .secretAccessKey, in: container, debugDescription: "expected a non-empty secret access key")
            }
            userName = try container.decodeIfPresent(String.self, forKey: .userName)
            assumableRoles = try container.decodeIfPresent([AssumableRole].self, forKey: .assumableRoles)
            deniedActions = try container.decodeIfPresent([String].self, forKey: .deniedActions)
            try AssumableRole.checkActions(deniedActions ?? [], in: container, forKey: .deniedActions)
            permissions = try DeclaredPermissions(from: decoder)
            users = try container.decodeIfPresent([DeclaredUser].self, forKey: .users) ?? []
            managedPolicies = try container.decodeIfPresent([DeclaredPolicy].self, forKey: .managedPolicies) ?? []
            let known = Set(managedPolicies.flatMap { [$0.policyName, "arn:aws:iam::\(accountId):policy/\($0.policyName)"] })
            let attached = (permissions.policies ?? []) + users.flatMap { $0.permissions.policies ?? [] }
                + (assumableRoles ?? []).flatMap { $0.permissions.policies ?? [] }
            if let unknown = attached.first(where: { !known.contains($0) && AWSManagedPolicies.document(arn: $0) == nil }) {
                throw DecodingError.dataCorruptedError(
                    forKey: .managedPolicies, in: container,
                    debugDescription: "the policy '\(unknown)' is attached but not declared here: expected one of \(managedPolicies.map(\.policyName)) or an AWS managed policy ARN (\(AWSManagedPolicies.arns.joined(separator: ", ")))")
            }
        }

        public var description: String { "Account(\(accountId), accessKeyId: \(accessKeyId), secretAccessKey: <redacted>)" }
    }

    public var accounts: [Account]

    public init(accounts: [Account]) { self.accounts = accounts }

    enum CodingKeys: String, CodingKey, CaseIterable { case accounts }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accounts = try container.decode([Account].self, forKey: .accounts)
        var seen = Set<String>()
        for key in accounts.flatMap({ [$0.accessKeyId] + $0.users.flatMap { $0.accessKeys.map(\.accessKeyId) } }) where !seen.insert(key).inserted {
            throw DecodingError.dataCorruptedError(
                forKey: .accounts, in: container, debugDescription: "access key id \(key) appears more than once")
        }
    }

    /// Parses and checks a document; errors name `file`, the JSON path and what was expected.
    public static func parse(_ data: Data, file: String) throws -> AccountsFile {
        try InputFileError.decode(AccountsFile.self, from: data, file: file)
    }

    /// Reads and checks a file; errors name the file, the JSON path and what was expected.
    public static func load(_ url: URL) throws -> AccountsFile {
        try InputFileError.decode(AccountsFile.self, from: url)
    }
}

/// A role of the accounts file and who, besides its own account, may assume it.
public struct AssumableRole: Sendable, Equatable, Decodable, ExpressibleByStringLiteral {
    public var arn: String
    /// Accounts (12-digit ids) whose principals may assume the role.
    public var trustedAccounts: [String]
    /// Principals (`arn:aws:iam::ACCOUNT:root`, `…:user/NAME`, `…:role/NAME`) that may assume the role.
    public var trustedPrincipals: [String]
    /// IAM actions (patterns with `*`) the role's sessions may not perform.
    public var deniedActions: [String]
    /// A trust policy (text) replacing `trustedAccounts` and `trustedPrincipals`.
    public var trustPolicy: String?
    /// The role's identity policies (none declared: allowed everything, as before IAM).
    public var permissions = DeclaredPermissions()

    public init(arn: String, trustedAccounts: [String] = [], trustedPrincipals: [String] = [], deniedActions: [String] = []) {
        self.arn = arn
        self.trustedAccounts = trustedAccounts
        self.trustedPrincipals = trustedPrincipals
        self.deniedActions = deniedActions
    }

    /// `deniedActions` entries must look like IAM actions (`service:Action`, `*` allowed).
    static func checkActions<Key: CodingKey>(_ actions: [String], in container: KeyedDecodingContainer<Key>, forKey key: Key) throws {
        for action in actions where !(action == "*" || action.split(separator: ":").count == 2) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "expected IAM actions like cloudtrail:LookupEvents or ecr:*, got '\(action)'")
        }
    }

    public init(stringLiteral arn: String) { self.init(arn: arn) }

    enum CodingKeys: String, CodingKey, CaseIterable { case arn, trustedAccounts, trustedPrincipals, deniedActions, trustPolicy }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(arn: text)
        } else {
            try StrictKeys.check(decoder, allowed: CodingKeys.allCases.map(\.rawValue) + DeclaredPermissions.keys)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                arn: try container.decode(String.self, forKey: .arn),
                trustedAccounts: try container.decodeIfPresent([String].self, forKey: .trustedAccounts) ?? [],
                trustedPrincipals: try container.decodeIfPresent([String].self, forKey: .trustedPrincipals) ?? [],
                deniedActions: try container.decodeIfPresent([String].self, forKey: .deniedActions) ?? [])
            try Self.checkActions(deniedActions, in: container, forKey: .deniedActions)
            permissions = try DeclaredPermissions(from: decoder)
            if let trust = try container.decodeIfPresent(JSONValue.self, forKey: .trustPolicy) {
                trustPolicy = try DeclaredPermissions.policyText(trust, kind: .resource, in: container, forKey: .trustPolicy)
            }
            for account in trustedAccounts where !(account.count == 12 && account.allSatisfy(\.isNumber)) {
                throw DecodingError.dataCorruptedError(
                    forKey: .trustedAccounts, in: container, debugDescription: "expected 12-digit account ids, got '\(account)'")
            }
            for principal in trustedPrincipals where !principal.hasPrefix("arn:") {
                throw DecodingError.dataCorruptedError(
                    forKey: .trustedPrincipals, in: container, debugDescription: "expected principal ARNs like arn:aws:iam::111111111111:root, got '\(principal)'")
            }
        }
        guard RoleArn(arn) != nil else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "expected a role ARN like arn:aws:iam::111111111111:role/Name, got '\(arn)'"))
        }
    }

    /// The role's trust as a policy: its `trustPolicy`, or its own account and whom the declaration names.
    func trust(ownAccount: String) -> PolicyDocument {
        if let trustPolicy, let document = try? PolicyDocument(text: trustPolicy, kind: .resource) { return document }
        return PolicyDocument(statements: [PolicyStatement(
            effect: .allow, principal: .init(everyone: false, aws: [ownAccount] + trustedAccounts + trustedPrincipals, others: []),
            actions: .only(["sts:AssumeRole"]))])
    }
}

/// `arn:aws:iam::<12 digits>:role/<path/name>`
public struct RoleArn: Sendable, Equatable {
    public var accountId: String
    /// The role's name (the last path segment).
    public var name: String
    public var arn: String

    public init?(_ arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "iam", parts[3].isEmpty,
            parts[4].count == 12, parts[4].allSatisfy(\.isNumber), parts[5].hasPrefix("role/"), parts[5].count > "role/".count,
            let last = parts[5].split(separator: "/").last
        else { return nil }
        self.accountId = String(parts[4])
        self.name = String(last)
        self.arn = arn
    }
}
