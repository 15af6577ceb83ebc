import Foundation

/// The IAM the IAM API changes, kept across restarts in the data directory (`--data-dir`) like the registries: one
/// JSON document among the storage's named values (`RegistryStorage.secret(named:)`: it holds the secret access
/// keys CreateAccessKey made), written after every change the API makes and read when the server starts. Temporary
/// credentials (AssumeRole) are not kept, as before.
extension AccountDirectory {
    /// The name of the document in the storage.
    static let storedName = "iam-state"

    /// The users, roles, managed policies and access keys of every account, and the long-lived keys' principals.
    struct Snapshot: Codable, Sendable {
        var accounts: [String: IAMAccount]
        var keys: [String: StoredKey]

        struct StoredKey: Codable, Sendable {
            var accountId: String
            var secretAccessKey: String?
            var arn: String
            var userId: String
        }

        /// The document `data` holds; an unreadable one is an error naming the data directory's store.
        static func decode(_ data: Data, from storage: String) throws -> Snapshot {
            do {
                return try JSONDecoder().decode(Snapshot.self, from: data)
            } catch {
                throw RegistryStorageError("the IAM state kept in \(storage) (\(storedName)) cannot be read: \(error)")
            }
        }
    }

    /// The IAM as it is now.
    func snapshot() -> Snapshot {
        var keys: [String: Snapshot.StoredKey] = [:]
        for (keyId, principal) in byAccessKey {
            keys[keyId] = Snapshot.StoredKey(accountId: principal.accountId, secretAccessKey: principal.secretAccessKey, arn: principal.arn, userId: principal.userId)
        }
        return Snapshot(accounts: iam, keys: keys)
    }

    /// Writes the IAM as it is now into `storage`.
    func persist(to storage: any RegistryStorage) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try storage.setSecret(try encoder.encode(snapshot()), named: Self.storedName)
    }

    /// `iam` and `keys` (as the accounts file declares them) with `snapshot` laid over: each account it holds is as it
    /// was kept (users, roles, policies and keys made or deleted through the API), the others as the file declares.
    static func restoring(_ snapshot: Snapshot, iam: inout [String: IAMAccount], keys: inout [String: Principal]) {
        for (accountId, account) in snapshot.accounts {
            iam[accountId] = account
            keys = keys.filter { $0.value.accountId != accountId || account.accessKeys[$0.key] != nil }
        }
        for (keyId, stored) in snapshot.keys where keys[keyId] == nil && snapshot.accounts[stored.accountId]?.accessKeys[keyId] != nil {
            keys[keyId] = Principal(
                accountId: stored.accountId, secretAccessKey: stored.secretAccessKey, sessionToken: nil, expiration: nil, arn: stored.arn,
                userId: stored.userId)
        }
    }
}
