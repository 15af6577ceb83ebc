import ECRWire
import Foundation

/// Keeps nothing: the state lives in the store's memory only and is gone at exit.
public struct MemoryStorage: RegistryStorage {
    public init() {}
    public var description: String { "memory" }
    public var keepsWrites: Bool { false }
    public func loadAll() throws -> [RegistryState] { [] }
    public func write(_ key: RegistryKey, repositories: [String: RepositoryRecord?], rules: [String: PullThroughCacheRuleRecord?]) throws {}
    public func writeSettings(_ key: RegistryKey, _ settings: RegistrySettings) throws {}
    public func writeTrail(_ key: RegistryKey, append records: [CloudTrailRecord], remove eventIDs: [String]) throws {}
    public func replaceAll(_ states: [RegistryState]) throws {}
    public func secret(named name: String) throws -> Data? { nil }
    public func setSecret(_ value: Data, named name: String) throws {}
}
