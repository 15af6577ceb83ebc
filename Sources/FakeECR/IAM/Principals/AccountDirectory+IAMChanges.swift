import ECRWire
import Foundation

/// Changes the IAM API makes to the directory's users, roles, keys and policies (in memory).
extension AccountDirectory {
    /// A user or a role: what inline and attached policies belong to.
    enum Holder: Sendable, Equatable {
        case user(String)
        case role(String)
    }

    func iamAccount(_ accountId: String) -> IAMAccount { iam[accountId] ?? IAMAccount() }

    func user(_ accountId: String, _ name: String) throws(IAMAPIError) -> IAMUser {
        guard let user = iam[accountId]?.users[name] else { throw .noSuchUser(name) }
        return user
    }

    func role(_ accountId: String, _ name: String) throws(IAMAPIError) -> IAMRole {
        guard let role = iam[accountId]?.roles[name] else { throw .noSuchRole(name) }
        return role
    }

    func createUser(_ accountId: String, name: String, path: String?, tags: [String: String], now: Date) throws(IAMAPIError) -> IAMUser {
        guard iam[accountId]?.users[name] == nil else { throw IAMAPIError(.entityAlreadyExists, "User with name \(name) already exists.") }
        let path = path ?? "/"
        let arn = "arn:aws:iam::\(accountId):user\(path)\(name)"
        let user = IAMUser(name: name, path: path, userId: "AIDA" + Self.stableId(arn), arn: arn, created: now, permissions: IAMPermissions(tags: tags))
        iam[accountId, default: IAMAccount()].users[name] = user
        return user
    }

    func deleteUser(_ accountId: String, name: String) throws(IAMAPIError) {
        let user = try self.user(accountId, name)
        if !user.permissions.inline.isEmpty { throw IAMAPIError(.deleteConflict, "Cannot delete entity, must delete policies first.") }
        if !user.permissions.attached.isEmpty { throw IAMAPIError(.deleteConflict, "Cannot delete entity, must detach all policies first.") }
        if iamAccount(accountId).accessKeys.values.contains(where: { $0.userName == name }) {
            throw IAMAPIError(.deleteConflict, "Cannot delete entity, must delete access keys first.")
        }
        iam[accountId]?.users[name] = nil
    }

    /// A new access key of `userName`, usable at once for signed calls; its secret is in the answer only.
    func createAccessKey(_ accountId: String, userName: String, now: Date) throws(IAMAPIError) -> (key: IAMAccessKey, secret: String) {
        let user = try self.user(accountId, userName)
        let keyId = "AKIA" + Self.random(16, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let secret = Self.random(40, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let key = IAMAccessKey(accessKeyId: keyId, userName: userName, created: now)
        iam[accountId, default: IAMAccount()].accessKeys[keyId] = key
        byAccessKey[keyId] = Principal(
            accountId: accountId, secretAccessKey: secret, sessionToken: nil, expiration: nil, arn: user.arn, userId: user.userId)
        return (key, secret)
    }

    func deleteAccessKey(_ accountId: String, userName: String, keyId: String) throws(IAMAPIError) {
        guard let key = iam[accountId]?.accessKeys[keyId], key.userName == userName else {
            throw IAMAPIError(.noSuchEntity, "The Access Key with id \(keyId) cannot be found.")
        }
        iam[accountId]?.accessKeys[keyId] = nil
        byAccessKey[keyId] = nil
    }

    func createRole(
        _ accountId: String, name: String, path: String?, trustPolicy: String, description: String?, maxSessionDuration: Int?, tags: [String: String],
        now: Date
    ) throws(IAMAPIError) -> IAMRole {
        guard iam[accountId]?.roles[name] == nil else { throw IAMAPIError(.entityAlreadyExists, "Role with name \(name) already exists.") }
        do {
            _ = try PolicyDocument(text: trustPolicy, kind: .resource)
        } catch {
            throw .malformed(error)
        }
        let path = path ?? "/"
        let arn = "arn:aws:iam::\(accountId):role\(path)\(name)"
        let role = IAMRole(
            name: name, path: path, roleId: Self.roleId(of: arn), arn: arn, created: now, trustPolicy: trustPolicy, description: description,
            maxSessionDuration: maxSessionDuration ?? 3600, permissions: IAMPermissions(tags: tags))
        iam[accountId, default: IAMAccount()].roles[name] = role
        return role
    }

    func deleteRole(_ accountId: String, name: String) throws(IAMAPIError) {
        let role = try self.role(accountId, name)
        if !role.permissions.inline.isEmpty { throw IAMAPIError(.deleteConflict, "Cannot delete entity, must delete policies first.") }
        if !role.permissions.attached.isEmpty { throw IAMAPIError(.deleteConflict, "Cannot delete entity, must detach all policies first.") }
        iam[accountId]?.roles[name] = nil
    }

    func updateTrust(_ accountId: String, roleName: String, trustPolicy: String) throws(IAMAPIError) {
        _ = try role(accountId, roleName)
        do {
            _ = try PolicyDocument(text: trustPolicy, kind: .resource)
        } catch {
            throw .malformed(error)
        }
        iam[accountId]?.roles[roleName]?.trustPolicy = trustPolicy
    }

    func permissions(_ accountId: String, _ holder: Holder) throws(IAMAPIError) -> IAMPermissions {
        switch holder {
        case .user(let name): return try user(accountId, name).permissions
        case .role(let name): return try role(accountId, name).permissions
        }
    }

    private func change(_ accountId: String, _ holder: Holder, _ body: (inout IAMPermissions) throws(IAMAPIError) -> Void) throws(IAMAPIError) {
        var permissions = try self.permissions(accountId, holder)
        try body(&permissions)
        switch holder {
        case .user(let name): iam[accountId]?.users[name]?.permissions = permissions
        case .role(let name): iam[accountId]?.roles[name]?.permissions = permissions
        }
    }

    func putInlinePolicy(_ accountId: String, _ holder: Holder, name: String, document: String) throws(IAMAPIError) {
        do {
            _ = try PolicyDocument(text: document, kind: .identity)
        } catch {
            throw .malformed(error)
        }
        try change(accountId, holder) { $0.inline[name] = document }
    }

    func inlinePolicy(_ accountId: String, _ holder: Holder, name: String) throws(IAMAPIError) -> String {
        guard let text = try permissions(accountId, holder).inline[name] else { throw Self.noSuchInline(holder, name) }
        return text
    }

    func deleteInlinePolicy(_ accountId: String, _ holder: Holder, name: String) throws(IAMAPIError) {
        try change(accountId, holder) { (permissions: inout IAMPermissions) throws(IAMAPIError) in
            guard permissions.inline.removeValue(forKey: name) != nil else { throw Self.noSuchInline(holder, name) }
        }
    }

    static func noSuchInline(_ holder: Holder, _ name: String) -> IAMAPIError {
        switch holder {
        case .user(let user): return IAMAPIError(.noSuchEntity, "The user policy with name \(name) cannot be found. (user: \(user))")
        case .role(let role): return IAMAPIError(.noSuchEntity, "The role policy with name \(name) cannot be found. (role: \(role))")
        }
    }

    func createPolicy(_ accountId: String, name: String, path: String?, document: String, description: String?, now: Date) throws(IAMAPIError) -> IAMManagedPolicy {
        let path = path ?? "/"
        let arn = "arn:aws:iam::\(accountId):policy\(path)\(name)"
        guard iam[accountId]?.policies[arn] == nil else {
            throw IAMAPIError(.entityAlreadyExists, "A policy called \(name) already exists. Duplicate names are not allowed.")
        }
        do {
            _ = try PolicyDocument(text: document, kind: .identity)
        } catch {
            throw .malformed(error)
        }
        let policy = IAMManagedPolicy(
            name: name, path: path, policyId: "ANPA" + Self.stableId(arn), arn: arn, created: now, updated: now, description: description, document: document)
        iam[accountId, default: IAMAccount()].policies[arn] = policy
        return policy
    }

    /// A customer managed policy of `accountId`, or an AWS managed one.
    func managedPolicy(_ arn: String, in accountId: String) throws(IAMAPIError) -> IAMManagedPolicy {
        if let policy = iam[accountId]?.policies[arn] { return policy }
        if let document = AWSManagedPolicies.document(arn: arn) {
            let name = arn.split(separator: "/").last.map(String.init) ?? arn
            let epoch = Date(timeIntervalSince1970: 0)
            return IAMManagedPolicy(name: name, policyId: "ANPA" + Self.stableId(arn), arn: arn, created: epoch, updated: epoch, document: document)
        }
        throw .noSuchPolicy(arn)
    }

    /// How many users and roles of `accountId` have `arn` attached.
    func attachments(of arn: String, in accountId: String) -> Int {
        let account = iamAccount(accountId)
        return account.users.values.filter { $0.permissions.attached.contains(arn) }.count
            + account.roles.values.filter { $0.permissions.attached.contains(arn) }.count
    }

    func deletePolicy(_ accountId: String, arn: String) throws(IAMAPIError) {
        guard iam[accountId]?.policies[arn] != nil else { throw .noSuchPolicy(arn) }
        guard attachments(of: arn, in: accountId) == 0 else {
            throw IAMAPIError(.deleteConflict, "Cannot delete a policy attached to entities.")
        }
        iam[accountId]?.policies[arn] = nil
    }

    func attach(_ accountId: String, _ holder: Holder, policyArn: String) throws(IAMAPIError) {
        _ = try managedPolicy(policyArn, in: accountId)
        try change(accountId, holder) { if !$0.attached.contains(policyArn) { $0.attached.append(policyArn) } }
    }

    func detach(_ accountId: String, _ holder: Holder, policyArn: String) throws(IAMAPIError) {
        try change(accountId, holder) { (permissions: inout IAMPermissions) throws(IAMAPIError) in
            guard let index = permissions.attached.firstIndex(of: policyArn) else {
                throw IAMAPIError(.noSuchEntity, "Policy \(policyArn) was not found.")
            }
            permissions.attached.remove(at: index)
        }
    }
}
