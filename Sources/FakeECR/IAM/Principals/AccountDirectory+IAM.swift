import Foundation

/// The IAM of the directory's accounts: who holds which policies, as the access gate asks it.
extension AccountDirectory {
    /// The IAM entities an accounts file declares (its keys' users, its `users`, its roles and policies).
    static func iamAccounts(_ file: AccountsFile?, now: Date) -> [String: IAMAccount] {
        var result: [String: IAMAccount] = [:]
        for account in file?.accounts ?? [] {
            let id = account.accountId
            var iam = result[id] ?? IAMAccount()
            for policy in account.managedPolicies {
                let arn = IAMManagedPolicy.arn(accountId: id, name: policy.policyName)
                iam.policies[arn] = IAMManagedPolicy(
                    name: policy.policyName, policyId: "ANPA" + stableId(arn), arn: arn, created: now, updated: now, document: policy.document)
            }
            let keyUser = account.userName ?? "fake-ecr-user"
            iam.users[keyUser] = IAMUser(
                name: keyUser, userId: userId(for: account.accessKeyId), arn: "arn:aws:iam::\(id):user/\(keyUser)", created: now,
                permissions: IAMPermissions(account.permissions, deniedActions: account.deniedActions ?? [], accountId: id))
            iam.accessKeys[account.accessKeyId] = IAMAccessKey(accessKeyId: account.accessKeyId, userName: keyUser, created: now)
            for user in account.users {
                let arn = "arn:aws:iam::\(id):user/\(user.userName)"
                iam.users[user.userName] = IAMUser(
                    name: user.userName, userId: user.accessKeys.first.map { userId(for: $0.accessKeyId) } ?? "AIDA" + stableId(arn), arn: arn,
                    created: now, permissions: IAMPermissions(user.permissions, deniedActions: [], accountId: id))
                for key in user.accessKeys { iam.accessKeys[key.accessKeyId] = IAMAccessKey(accessKeyId: key.accessKeyId, userName: user.userName, created: now) }
            }
            if let roles = account.assumableRoles {
                for role in roles {
                    guard let arn = RoleArn(role.arn) else { continue }
                    let trust = role.trust(ownAccount: id)
                    iam.roles[arn.name] = IAMRole(
                        name: arn.name, roleId: roleId(of: role.arn), arn: role.arn, created: now, trustPolicy: role.trustPolicy ?? trust.text,
                        permissions: IAMPermissions(role.permissions, deniedActions: role.deniedActions, accountId: id))
                }
            } else {
                iam.anyRole = true
            }
            result[id] = iam
        }
        return result
    }

    /// The identity policies and context of `principal`. With `enforcing` false only the accounts
    /// file's `deniedActions` restrict anyone (as before IAM); with it, declared policies decide.
    /// Every access asks it, so the answers are kept until IAM changes (`iam`'s `didSet`).
    nonisolated func identity(of principal: AccessPrincipal, enforcing: Bool) async -> IAMIdentity {
        let key = IdentityKey(principal: principal, enforcing: enforcing)
        if let known = answers.withLock({ $0.identities[key] }) { return known }
        return await keptIdentity(key)
    }

    private func keptIdentity(_ key: IdentityKey) -> IAMIdentity {
        let identity = resolvedIdentity(of: key.principal, enforcing: key.enforcing)
        answers.withLock { answers in
            if answers.identities.count >= Self.maxKeptIdentities { answers.identities.removeAll(keepingCapacity: true) }
            answers.identities[key] = identity
        }
        return identity
    }

    private func resolvedIdentity(of principal: AccessPrincipal, enforcing: Bool) -> IAMIdentity {
        let account = iam[principal.accountId]
        if principal.arn == principal.accountRootArn { return IAMIdentity(policies: .root, userId: principal.accountId, tags: [:]) }
        if let session = RoleSession(arn: principal.arn) {
            let userId = Self.roleId(of: session.roleArn) + ":" + session.session
            guard let role = account?.roles[session.role] else {
                let exists = accounts == nil || (account?.anyRole ?? false)
                return IAMIdentity(policies: exists ? .root : .policies([]), userId: userId, tags: [:])
            }
            return IAMIdentity(policies: policies(role.permissions, source: .role, enforcing: enforcing), userId: userId, tags: role.permissions.tags)
        }
        if let role = RoleArn(principal.arn) {
            // A role as a policy source (SimulatePrincipalPolicy), not as a session.
            guard let declared = account?.roles[role.name] else {
                let exists = accounts == nil || (account?.anyRole ?? false)
                return IAMIdentity(policies: exists ? .root : .policies([]), userId: Self.roleId(of: role.arn), tags: [:], exists: exists)
            }
            return IAMIdentity(
                policies: policies(declared.permissions, source: .role, enforcing: enforcing), userId: declared.roleId, tags: declared.permissions.tags)
        }
        guard let name = principal.userName, let user = account?.users[name] else {
            // No accounts file: every key is the default user, allowed everything.
            let open = accounts == nil && account == nil
            return IAMIdentity(policies: open ? .root : .policies([]), userId: nil, tags: [:], exists: open)
        }
        return IAMIdentity(policies: policies(user.permissions, source: .user, enforcing: enforcing), userId: user.userId, tags: user.permissions.tags)
    }

    /// The documents of `permissions`. `deniedActions` is an Allow of everything else for a principal
    /// that declares no policies (refused as no identity policy allowing them), a Deny otherwise.
    func policies(_ permissions: IAMPermissions, source: NamedPolicy.Source, enforcing: Bool) -> IdentityPolicies {
        let denied = permissions.deniedActions
        guard enforcing, permissions.declaresPolicies else {
            if denied.isEmpty { return .root }
            return .policies([NamedPolicy(id: "deniedActions", source: source, document: PolicyDocument(statements: [
                PolicyStatement(effect: .allow, actions: .not(denied), resources: .only(["*"]))
            ]))])
        }
        var result = resolved(permissions, source: source)
        if !denied.isEmpty {
            result.append(NamedPolicy(id: "deniedActions", source: source, document: PolicyDocument(statements: [
                PolicyStatement(effect: .deny, actions: .only(denied), resources: .only(["*"]))
            ])))
        }
        return .policies(result)
    }

    /// The inline and attached policies of `permissions`, parsed (each was checked when stored).
    func resolved(_ permissions: IAMPermissions, source: NamedPolicy.Source) -> [NamedPolicy] {
        var result: [NamedPolicy] = []
        for (name, text) in permissions.inline.sorted(by: { $0.key < $1.key }) {
            if let document = try? PolicyDocument(text: text, kind: .identity) { result.append(NamedPolicy(id: name, source: source, document: document)) }
        }
        for arn in permissions.attached {
            let accountId = arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
            let managed = AWSManagedPolicies.document(arn: arn).map { (text: $0, source: NamedPolicy.Source.awsManaged) }
                ?? iam[accountId]?.policies[arn].map { (text: $0.document, source: NamedPolicy.Source.userManaged) }
            guard let managed, let document = try? PolicyDocument(text: managed.text, kind: .identity) else { continue }
            let name = arn.split(separator: "/").last.map(String.init) ?? arn
            result.append(NamedPolicy(id: name, source: managed.source, document: document))
        }
        return result
    }

    /// Who may assume `role`, as a policy (the access gate decides); nil when there is no such role.
    /// Without an accounts file every role exists and trusts everyone (there are no identities).
    func trust(of role: RoleArn) -> PolicyDocument? {
        if let declared = iam[role.accountId]?.roles[role.name] { return try? PolicyDocument(text: declared.trustPolicy, kind: .resource) }
        if accounts == nil {
            return PolicyDocument(statements: [PolicyStatement(effect: .allow, principal: .init(everyone: true, aws: [], others: []), actions: .only(["sts:AssumeRole"]))])
        }
        guard iam[role.accountId]?.anyRole ?? false else { return nil }
        return AssumableRole(arn: role.arn).trust(ownAccount: role.accountId)
    }
}

extension PolicyDocument {
    /// The document as policy text (for documents built in code, such as a legacy role's trust).
    var text: String {
        func names(_ names: PolicyStatement.Names) -> (String, [String]) {
            switch names {
            case .only(let list): return ("", list)
            case .not(let list): return ("Not", list)
            }
        }
        var statementObjects: [[String: Any]] = []
        for statement in statements {
            var object: [String: Any] = ["Effect": statement.effect.rawValue]
            if let sid = statement.sid { object["Sid"] = sid }
            for (key, principals) in [("Principal", statement.principal), ("NotPrincipal", statement.notPrincipal)] {
                guard let principals else { continue }
                object[key] = principals.everyone ? "*" as Any : ["AWS": principals.aws] as Any
            }
            let (prefix, actions) = names(statement.actions)
            object[prefix + "Action"] = actions
            if let resources = statement.resources {
                let (prefix, list) = names(resources)
                object[prefix + "Resource"] = list
            }
            statementObjects.append(object)
        }
        var document: [String: Any] = ["Statement": statementObjects]
        if let version { document["Version"] = version }
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
