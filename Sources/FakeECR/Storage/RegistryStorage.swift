import ECRWire
import Foundation

/// Where the registries' metadata lives between requests. Every write returns only once the
/// data is durable for this storage (memory: at once; SQLite: committed to the WAL).
public protocol RegistryStorage: Sendable {
    /// A short description for logs ("memory", "sqlite at /path").
    var description: String { get }
    /// Whether anything written is kept: false for a storage that drops every write (memory), whose
    /// callers need not gather what changed.
    var keepsWrites: Bool { get }
    /// Everything stored, per registry.
    func loadAll() throws -> [RegistryState]
    /// Writes the named records of one registry; a nil value deletes the record.
    func write(_ key: RegistryKey, repositories: [String: RepositoryRecord?], rules: [String: PullThroughCacheRuleRecord?]) throws
    /// Replaces the registry-level settings of one registry.
    func writeSettings(_ key: RegistryKey, _ settings: RegistrySettings) throws
    /// Adds CloudTrail records to one registry's trail and removes those of the given event ids.
    func writeTrail(_ key: RegistryKey, append records: [CloudTrailRecord], remove eventIDs: [String]) throws
    /// Replaces everything with `states`.
    func replaceAll(_ states: [RegistryState]) throws
    /// A small named value kept across restarts (e.g. the key that signs registry passwords).
    func secret(named name: String) throws -> Data?
    func setSecret(_ value: Data, named name: String) throws
}

/// Errors of a storage, with the file concerned.
public struct RegistryStorageError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
