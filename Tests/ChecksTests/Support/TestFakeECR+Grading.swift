import Checks
import FakeECRTesting
import Foundation
import LabCheckTestSupport

extension TestFakeECR {
    /// Replaces the fake's state with `fixtures/states/<name>.json`.
    func load(state name: String) async throws {
        try await load(stateAt: RepositoryFiles.state(name))
    }

    /// Grades `spec` against the fake with the ledger kept in `ledgerDirectory`, as `labcheck check` does.
    func grade(_ spec: LabSpec, phase: PhaseSelection = .all, ledgerDirectory: URL) async throws -> LabResult {
        try await AccountGrader(spec: spec, phase: phase, ledgers: LedgerStore(directory: ledgerDirectory)).grade(clients())
    }
}
