import Foundation
import Synchronization

/// Where the evidence ledgers of (lab, account) pairs are kept between gradings.
public protocol LedgerKeeping: Sendable {
    /// The ledger for this lab and account; an empty one when none was kept yet.
    func load(labId: String, accountId: String) throws -> EvidenceLedger
    func save(_ ledger: EvidenceLedger) throws
}

/// Ledgers kept in memory for the life of the store (verify-lab's stages, tests).
public final class MemoryLedgerStore: LedgerKeeping {
    private let ledgers = Mutex<[String: EvidenceLedger]>([:])

    public init() {}

    public func load(labId: String, accountId: String) throws -> EvidenceLedger {
        ledgers.withLock { $0[Self.key(labId, accountId)] } ?? EvidenceLedger(labId: labId, accountId: accountId)
    }

    public func save(_ ledger: EvidenceLedger) throws {
        ledgers.withLock { $0[Self.key(ledger.labId, ledger.accountId)] = ledger }
    }

    private static func key(_ labId: String, _ accountId: String) -> String { labId + "\u{0}" + accountId }
}
