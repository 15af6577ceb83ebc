import Foundation

/// The repository look-ups of the ECR handlers, with ECR's RepositoryNotFoundException for a missing one.
extension RegistryState {
    /// The repository `name` of the registry `key`.
    func existingRepository(_ name: String, in key: RegistryKey) throws -> RepositoryRecord {
        guard let record = repositories[name] else { throw ECRError.repositoryNotFound(name, key.accountId) }
        return record
    }

    /// Changes the repository `name` of the registry `key` in place.
    @discardableResult
    mutating func updateExistingRepository<T>(_ name: String, in key: RegistryKey, _ body: (inout RepositoryRecord) throws -> T) throws -> T {
        guard let result = try updateRepository(name, body) else { throw ECRError.repositoryNotFound(name, key.accountId) }
        return result
    }
}
