import DequeModule
import ECRWire
import Foundation

/// The state of one registry (an account in a region): repositories and pull through cache rules.
///
/// A pure value. Mutations go through its methods, which note what changed so that the store
/// can write exactly those records before the response is sent.
public struct RegistryState: Sendable, Equatable {
    public let key: RegistryKey
    public private(set) var repositories: [String: RepositoryRecord] = [:]
    /// Repository names in ascending order (the order of DescribeRepositories and its paging).
    public private(set) var sortedRepositoryNames: [String] = []
    public private(set) var pullThroughCacheRules: [String: PullThroughCacheRuleRecord] = [:]
    /// Registry-level settings (account settings such as BLOB_MOUNTING).
    public private(set) var settings = RegistrySettings()
    /// The CloudTrail records of this account and region, oldest first (`RegistryState+Trail`). A deque:
    /// a full trail drops its oldest record as each new one comes, without moving the others.
    public internal(set) var trail: Deque<CloudTrailRecord> = []

    /// What changed since the store last wrote this registry.
    var journal = RegistryJournal()

    public init(key: RegistryKey) { self.key = key }

    public static func == (lhs: RegistryState, rhs: RegistryState) -> Bool {
        lhs.key == rhs.key && lhs.repositories == rhs.repositories && lhs.pullThroughCacheRules == rhs.pullThroughCacheRules
            && lhs.settings == rhs.settings && lhs.trail == rhs.trail
    }

    public var isEmpty: Bool { repositories.isEmpty && pullThroughCacheRules.isEmpty && settings.isEmpty && trail.isEmpty }

    public var sortedRules: [PullThroughCacheRuleRecord] {
        pullThroughCacheRules.keys.sorted().compactMap { pullThroughCacheRules[$0] }
    }

    // MARK: repositories

    public mutating func insertRepository(_ record: RepositoryRecord) {
        if repositories.updateValue(record, forKey: record.name) == nil {
            let index = insertionIndex(of: record.name)
            sortedRepositoryNames.insert(record.name, at: index)
        }
        journal.repositories.insert(record.name)
    }

    @discardableResult
    public mutating func removeRepository(_ name: String) -> RepositoryRecord? {
        guard let removed = repositories.removeValue(forKey: name) else { return nil }
        let index = insertionIndex(of: name)
        if index < sortedRepositoryNames.count, sortedRepositoryNames[index] == name {
            sortedRepositoryNames.remove(at: index)
        }
        journal.repositories.insert(name)
        return removed
    }

    /// Changes an existing repository in place; nil when there is none of that name.
    public mutating func updateRepository<T>(_ name: String, _ body: (inout RepositoryRecord) throws -> T) rethrows -> T? {
        guard repositories[name] != nil else { return nil }
        journal.repositories.insert(name)
        return try body(&repositories[name, default: RepositoryRecord(name: name, createdAt: Date())])
    }

    /// Index of the first name not less than `name` in `sortedRepositoryNames`.
    public func insertionIndex(of name: String) -> Int {
        var low = 0, high = sortedRepositoryNames.count
        while low < high {
            let mid = (low + high) / 2
            if sortedRepositoryNames[mid] < name { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: settings

    /// Changes the registry's settings; the store writes them with the request.
    public mutating func updateSettings<T>(_ body: (inout RegistrySettings) throws -> T) rethrows -> T {
        journal.settings = true
        return try body(&settings)
    }

    // MARK: pull through cache rules

    public mutating func setRule(_ rule: PullThroughCacheRuleRecord) {
        pullThroughCacheRules[rule.ecrRepositoryPrefix] = rule
        journal.rules.insert(rule.ecrRepositoryPrefix)
    }

    @discardableResult
    public mutating func removeRule(_ prefix: String) -> PullThroughCacheRuleRecord? {
        guard let removed = pullThroughCacheRules.removeValue(forKey: prefix) else { return nil }
        journal.rules.insert(prefix)
        return removed
    }
}

/// Names of the records of a registry changed since the last write.
struct RegistryJournal: Sendable {
    var repositories: Set<String> = []
    var rules: Set<String> = []
    /// Whether the registry's settings changed.
    var settings = false
    var isEmpty: Bool { repositories.isEmpty && rules.isEmpty && !settings }
}
