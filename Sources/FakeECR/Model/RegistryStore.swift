import Foundation
import Synchronization

/// All registries of the fake, behind one lock. Handlers read and change a registry through
/// `read` and `update`; `update` writes what changed to the storage before it returns, inside the
/// same step, so the storage sees the changes in the order the registries did. Steps that must not
/// be split (a push and its replication, a trail record and its write) take the lock once
/// (`transaction`).
///
/// A lock rather than an actor: no step awaits anything, and an actor's queue costs every call a
/// hand-off (the waiting task enqueued, a pool thread woken) that the lock does not. A body runs
/// while the lock is held: it must not call the store again.
public final class RegistryStore: Sendable {
    private let registries: Mutex<Registries>
    public let storage: any RegistryStorage
    /// Scans an image pushed to a repository that scans on push (the app's `ImageScanner`); nil: no scans on push.
    let pushScanner: (@Sendable (ImageRecord) -> ImageScanRecord)?

    public init(storage: any RegistryStorage, pushScanner: (@Sendable (ImageRecord) -> ImageScanRecord)? = nil) throws {
        self.storage = storage
        self.pushScanner = pushScanner
        var loaded = Registries(storage: storage)
        for state in try storage.loadAll() {
            loaded.states[state.key] = state
        }
        registries = Mutex(loaded)
    }

    /// Reads one registry (an empty one when nothing was ever stored there).
    public func read<T: Sendable>(_ key: RegistryKey, _ body: (RegistryState) throws -> T) throws -> T {
        try registries.withLock { registries throws -> T in try registries.read(key, body) }
    }

    /// Changes one registry; the changed records are stored before this returns. When `body`
    /// throws, what it changed before throwing is stored too (handlers validate before changing).
    public func update<T: Sendable>(_ key: RegistryKey, _ body: (inout RegistryState) throws -> T) throws -> T {
        try registries.withLock { registries throws -> T in try registries.update(key, body) }
    }

    /// Reads and changes as one step: no other call sees the registries between them.
    func transaction<T: Sendable>(_ body: (inout Registries) throws -> T) throws -> T {
        try registries.withLock { registries throws -> T in try body(&registries) }
    }

    /// Every non-empty registry, ordered by account then region.
    public func allRegistries() -> [RegistryState] {
        registries.withLock { registries in
            registries.states.values.filter { !$0.isEmpty }.sorted { ($0.key.accountId, $0.key.region) < ($1.key.accountId, $1.key.region) }
        }
    }

    /// Replaces every registry with `states` (an empty list resets the fake).
    public func replaceAll(_ states: [RegistryState]) throws {
        var fresh: [RegistryKey: RegistryState] = [:]
        for var state in states {
            state.journal = RegistryJournal()
            fresh[state.key] = state
        }
        try registries.withLock { registries throws in
            try registries.storage.replaceAll(Array(fresh.values))
            registries.states = fresh
        }
    }

    /// Whether nothing is stored at all.
    public var isEmpty: Bool { registries.withLock { $0.states.values.allSatisfy(\.isEmpty) } }
}

/// The registries a `RegistryStore` guards, and the storage their changes are written to; reached
/// only with the store's lock held.
struct Registries {
    var states: [RegistryKey: RegistryState] = [:]
    let storage: any RegistryStorage

    init(storage: any RegistryStorage) {
        self.storage = storage
    }

    /// Reads one registry (an empty one when nothing was ever stored there).
    func read<T>(_ key: RegistryKey, _ body: (RegistryState) throws -> T) throws -> T {
        if let state = states[key] { return try body(state) }
        return try body(RegistryState(key: key))
    }

    /// Changes one registry and stores what changed, also when `body` throws (its error is rethrown).
    mutating func update<T>(_ key: RegistryKey, _ body: (inout RegistryState) throws -> T) throws -> T {
        let result: Result<T, any Error>
        do {
            result = .success(try body(&states[key, default: RegistryState(key: key)]))
        } catch {
            result = .failure(error)
        }
        try flush(key)
        return try result.get()
    }

    private mutating func flush(_ key: RegistryKey) throws {
        guard let state = states[key], !state.journal.isEmpty else { return }
        guard storage.keepsWrites else {
            states[key]?.journal = RegistryJournal()
            return
        }
        var repositories: [String: RepositoryRecord?] = [:]
        for name in state.journal.repositories { repositories[name] = .some(state.repositories[name]) }
        var rules: [String: PullThroughCacheRuleRecord?] = [:]
        for prefix in state.journal.rules { rules[prefix] = .some(state.pullThroughCacheRules[prefix]) }
        let settings = state.journal.settings ? state.settings : nil
        states[key]?.journal = RegistryJournal()
        try storage.write(key, repositories: repositories, rules: rules)
        if let settings { try storage.writeSettings(key, settings) }
    }
}
