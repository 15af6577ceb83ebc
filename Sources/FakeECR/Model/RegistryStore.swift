import Foundation

/// All registries of the fake, behind one actor. Handlers read and change a registry through
/// `read` and `update`; `update` writes what changed to the storage before it returns.
public actor RegistryStore {
    private var registries: [RegistryKey: RegistryState] = [:]
    public nonisolated let storage: any RegistryStorage
    /// Scans an image pushed to a repository that scans on push (the app's `ImageScanner`); nil: no scans on push.
    nonisolated let pushScanner: (@Sendable (ImageRecord) -> ImageScanRecord)?

    public init(storage: any RegistryStorage, pushScanner: (@Sendable (ImageRecord) -> ImageScanRecord)? = nil) throws {
        self.storage = storage
        self.pushScanner = pushScanner
        for state in try storage.loadAll() {
            registries[state.key] = state
        }
    }

    /// Reads one registry (an empty one when nothing was ever stored there).
    public func read<T: Sendable>(_ key: RegistryKey, _ body: (RegistryState) throws -> T) throws -> T {
        if let state = registries[key] { return try body(state) }
        return try body(RegistryState(key: key))
    }

    /// Changes one registry; the changed records are stored before this returns. When `body`
    /// throws, what it changed before throwing is stored too (handlers validate before changing).
    public func update<T: Sendable>(_ key: RegistryKey, _ body: (inout RegistryState) throws -> T) throws -> T {
        let result: Result<T, any Error>
        do {
            result = .success(try body(&registries[key, default: RegistryState(key: key)]))
        } catch {
            result = .failure(error)
        }
        try flush(key)
        return try result.get()
    }

    private func flush(_ key: RegistryKey) throws {
        guard let state = registries[key], !state.journal.isEmpty else { return }
        var repositories: [String: RepositoryRecord?] = [:]
        for name in state.journal.repositories { repositories[name] = .some(state.repositories[name]) }
        var rules: [String: PullThroughCacheRuleRecord?] = [:]
        for prefix in state.journal.rules { rules[prefix] = .some(state.pullThroughCacheRules[prefix]) }
        let settings = state.journal.settings ? state.settings : nil
        registries[key]?.journal = RegistryJournal()
        try storage.write(key, repositories: repositories, rules: rules)
        if let settings { try storage.writeSettings(key, settings) }
    }

    /// Every non-empty registry, ordered by account then region.
    public func allRegistries() -> [RegistryState] {
        registries.values.filter { !$0.isEmpty }.sorted { ($0.key.accountId, $0.key.region) < ($1.key.accountId, $1.key.region) }
    }

    /// Replaces every registry with `states` (an empty list resets the fake).
    public func replaceAll(_ states: [RegistryState]) throws {
        var fresh: [RegistryKey: RegistryState] = [:]
        for var state in states {
            state.journal = RegistryJournal()
            fresh[state.key] = state
        }
        try storage.replaceAll(Array(fresh.values))
        registries = fresh
    }

    /// Whether nothing is stored at all.
    public var isEmpty: Bool { registries.values.allSatisfy(\.isEmpty) }
}
