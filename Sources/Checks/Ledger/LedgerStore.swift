import Foundation

/// Reads and writes evidence ledgers as JSON files under a folder, one per (lab, account).
public struct LedgerStore: LedgerKeeping {
    public let directory: URL
    /// Start every history anew (the demo): existing files are not read, but are written.
    public let ignoresExisting: Bool

    public init(directory: URL, ignoresExisting: Bool = false) {
        self.directory = directory
        self.ignoresExisting = ignoresExisting
    }

    /// `<directory>/ledger-<labId>-<accountId>.json`
    public func url(labId: String, accountId: String) -> URL {
        let safe = { (text: String) in String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }) }
        return directory.appendingPathComponent("ledger-\(safe(labId))-\(safe(accountId)).json")
    }

    /// The ledger for this lab and account; an empty one if none was written yet.
    public func load(labId: String, accountId: String) throws -> EvidenceLedger {
        let file = url(labId: labId, accountId: accountId)
        guard !ignoresExisting, FileManager.default.fileExists(atPath: file.path) else {
            return EvidenceLedger(labId: labId, accountId: accountId)
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let ledger = try decoder.decode(EvidenceLedger.self, from: Data(contentsOf: file))
            guard ledger.schemaVersion == EvidenceLedger.currentSchemaVersion else {
                throw LedgerError(file: file.path, problem: "schemaVersion \(ledger.schemaVersion) is not supported (expected \(EvidenceLedger.currentSchemaVersion))")
            }
            guard ledger.labId == labId, ledger.accountId == accountId else {
                throw LedgerError(file: file.path, problem: "holds lab '\(ledger.labId)' of account \(ledger.accountId), expected lab '\(labId)' of account \(accountId)")
            }
            return ledger
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(file: file.path, problem: "not a valid evidence ledger (\(error)); move it away to start a new history")
        }
    }

    /// Writes atomically (temporary file, then rename), so an interrupted run never leaves half a ledger.
    public func save(_ ledger: EvidenceLedger) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(ledger).write(to: url(labId: ledger.labId, accountId: ledger.accountId), options: .atomic)
    }
}

public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var description: String { "\(file): \(problem)" }
}
