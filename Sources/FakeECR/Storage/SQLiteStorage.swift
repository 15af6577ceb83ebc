import DequeModule
import ECRWire
import Foundation
import GRDB

/// Metadata in SQLite (GRDB `DatabasePool`, WAL journal) under a data directory.
///
/// Each record is one row holding its JSON; a write commits before it returns, so an
/// acknowledged request survives a crash or `kill -9` of the process.
public final class SQLiteStorage: RegistryStorage {
    public let path: String
    private let pool: DatabasePool
    private let encoder: JSONEncoder
    private let decoder: JSONDecoder

    /// Opens (creating if needed) `fake-ecr.sqlite` in `directory`.
    public init(directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw RegistryStorageError("cannot create data directory \(directory.path): \(error.localizedDescription)")
        }
        path = directory.appendingPathComponent("fake-ecr.sqlite").path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // WAL + NORMAL: a committed transaction survives a process crash.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE repository (
                        accountId TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, record TEXT NOT NULL,
                        PRIMARY KEY (accountId, region, name));
                    CREATE TABLE pullThroughCacheRule (
                        accountId TEXT NOT NULL, region TEXT NOT NULL, prefix TEXT NOT NULL, record TEXT NOT NULL,
                        PRIMARY KEY (accountId, region, prefix));
                    CREATE TABLE secret (name TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL);
                    """)
            }
            migrator.registerMigration("v2-trail") { db in
                // One row per CloudTrail record; `seq` keeps the order of arrival among equal times.
                try db.execute(sql: """
                    CREATE TABLE trailEvent (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, accountId TEXT NOT NULL, region TEXT NOT NULL,
                        eventID TEXT NOT NULL, eventTime INTEGER NOT NULL, record TEXT NOT NULL);
                    CREATE UNIQUE INDEX trailEventByID ON trailEvent (accountId, region, eventID);
                    """)
            }
            migrator.registerMigration("v3-settings") { db in
                // One row per registry: its settings as JSON (`RegistrySettings`).
                try db.execute(sql: """
                    CREATE TABLE registrySettings (
                        accountId TEXT NOT NULL, region TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (accountId, region));
                    """)
            }
            try migrator.migrate(pool)
        } catch {
            throw RegistryStorageError("cannot open SQLite database \(path): \(error)")
        }
        encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
    }

    public var description: String { "sqlite at \(path)" }
    public var keepsWrites: Bool { true }

    public func loadAll() throws -> [RegistryState] {
        do {
            return try pool.read { db in
                var states: [RegistryKey: RegistryState] = [:]
                // In name order (the primary key): each insert into the sorted name list is then an append.
                for row in try Row.fetchAll(db, sql: "SELECT accountId, region, record FROM repository ORDER BY accountId, region, name") {
                    let key = RegistryKey(accountId: row["accountId"], region: row["region"])
                    let text: String = row["record"]
                    let record = try decoder.decode(RepositoryRecord.self, from: Data(text.utf8))
                    states[key, default: RegistryState(key: key)].insertRepository(record)
                }
                for row in try Row.fetchAll(db, sql: "SELECT accountId, region, record FROM pullThroughCacheRule") {
                    let key = RegistryKey(accountId: row["accountId"], region: row["region"])
                    let text: String = row["record"]
                    let record = try decoder.decode(PullThroughCacheRuleRecord.self, from: Data(text.utf8))
                    states[key, default: RegistryState(key: key)].setRule(record)
                }
                for row in try Row.fetchAll(db, sql: "SELECT accountId, region, record FROM registrySettings") {
                    let key = RegistryKey(accountId: row["accountId"], region: row["region"])
                    let text: String = row["record"]
                    let settings = try decoder.decode(RegistrySettings.self, from: Data(text.utf8))
                    states[key, default: RegistryState(key: key)].updateSettings { $0 = settings }
                }
                var trails: [RegistryKey: [CloudTrailRecord]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT accountId, region, record FROM trailEvent ORDER BY eventTime, seq") {
                    let key = RegistryKey(accountId: row["accountId"], region: row["region"])
                    trails[key, default: []].append(try CloudTrailRecord(jsonText: row["record"]))
                }
                for (key, records) in trails { states[key, default: RegistryState(key: key)].trail = Deque(records) }
                return states.values.map { state in
                    var state = state
                    state.journal = RegistryJournal()
                    return state
                }
            }
        } catch {
            throw RegistryStorageError("cannot read SQLite database \(path): \(error)")
        }
    }

    public func write(_ key: RegistryKey, repositories: [String: RepositoryRecord?], rules: [String: PullThroughCacheRuleRecord?]) throws {
        do {
            try pool.write { db in
                try write(db, key, repositories: repositories, rules: rules)
            }
        } catch {
            throw RegistryStorageError("cannot write SQLite database \(path): \(error)")
        }
    }

    private func write(_ db: Database, _ key: RegistryKey, repositories: [String: RepositoryRecord?], rules: [String: PullThroughCacheRuleRecord?]) throws {
        for (name, record) in repositories {
            if let record {
                let text = String(decoding: try encoder.encode(record), as: UTF8.self)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO repository (accountId, region, name, record) VALUES (?, ?, ?, ?)",
                    arguments: [key.accountId, key.region, name, text])
            } else {
                try db.execute(
                    sql: "DELETE FROM repository WHERE accountId = ? AND region = ? AND name = ?",
                    arguments: [key.accountId, key.region, name])
            }
        }
        for (prefix, record) in rules {
            if let record {
                let text = String(decoding: try encoder.encode(record), as: UTF8.self)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO pullThroughCacheRule (accountId, region, prefix, record) VALUES (?, ?, ?, ?)",
                    arguments: [key.accountId, key.region, prefix, text])
            } else {
                try db.execute(
                    sql: "DELETE FROM pullThroughCacheRule WHERE accountId = ? AND region = ? AND prefix = ?",
                    arguments: [key.accountId, key.region, prefix])
            }
        }
    }

    public func writeSettings(_ key: RegistryKey, _ settings: RegistrySettings) throws {
        do {
            try pool.write { db in try writeSettings(db, key, settings) }
        } catch {
            throw RegistryStorageError("cannot write SQLite database \(path): \(error)")
        }
    }

    private func writeSettings(_ db: Database, _ key: RegistryKey, _ settings: RegistrySettings) throws {
        if settings.isEmpty {
            try db.execute(sql: "DELETE FROM registrySettings WHERE accountId = ? AND region = ?", arguments: [key.accountId, key.region])
        } else {
            let text = String(decoding: try encoder.encode(settings), as: UTF8.self)
            try db.execute(
                sql: "INSERT OR REPLACE INTO registrySettings (accountId, region, record) VALUES (?, ?, ?)",
                arguments: [key.accountId, key.region, text])
        }
    }

    public func writeTrail(_ key: RegistryKey, append records: [CloudTrailRecord], remove eventIDs: [String]) throws {
        do {
            try pool.write { db in try writeTrail(db, key, append: records, remove: eventIDs) }
        } catch {
            throw RegistryStorageError("cannot write SQLite database \(path): \(error)")
        }
    }

    private func writeTrail(_ db: Database, _ key: RegistryKey, append records: [CloudTrailRecord], remove eventIDs: [String]) throws {
        for eventID in eventIDs {
            try db.execute(
                sql: "DELETE FROM trailEvent WHERE accountId = ? AND region = ? AND eventID = ?", arguments: [key.accountId, key.region, eventID])
        }
        for record in records {
            try db.execute(
                sql: "INSERT OR REPLACE INTO trailEvent (accountId, region, eventID, eventTime, record) VALUES (?, ?, ?, ?, ?)",
                arguments: [key.accountId, key.region, record.eventID, Int64(record.eventTime.timeIntervalSince1970.rounded(.down)), try record.jsonText()])
        }
    }

    public func replaceAll(_ states: [RegistryState]) throws {
        do {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM repository; DELETE FROM pullThroughCacheRule; DELETE FROM trailEvent; DELETE FROM registrySettings;")
                for state in states {
                    try write(
                        db, state.key,
                        repositories: state.repositories.mapValues { Optional($0) },
                        rules: state.pullThroughCacheRules.mapValues { Optional($0) })
                    try writeSettings(db, state.key, state.settings)
                    try writeTrail(db, state.key, append: Array(state.trail), remove: [])
                }
            }
        } catch {
            throw RegistryStorageError("cannot write SQLite database \(path): \(error)")
        }
    }

    public func secret(named name: String) throws -> Data? {
        do {
            return try pool.read { db in
                try Data.fetchOne(db, sql: "SELECT value FROM secret WHERE name = ?", arguments: [name])
            }
        } catch {
            throw RegistryStorageError("cannot read SQLite database \(path): \(error)")
        }
    }

    public func setSecret(_ value: Data, named name: String) throws {
        do {
            try pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO secret (name, value) VALUES (?, ?)", arguments: [name, value])
            }
        } catch {
            throw RegistryStorageError("cannot write SQLite database \(path): \(error)")
        }
    }
}
