import Checks
import FakeECRTesting
import Foundation
import LabCheckTestSupport

extension TestFakeECR {
    /// Replaces the fake's state with `fixtures/states/<name>.json`.
    func load(state name: String) async throws {
        try await load(stateAt: RepositoryFiles.state(name))
    }

    /// Grades `spec` against the fake with the ledger kept in `ledgerDirectory`, as `labcheck check` does,
    /// with content checks against the fixture upstream images' pins (fixtures/upstream/ecr-lab.pins.json).
    func grade(_ spec: LabSpec, phase: PhaseSelection = .all, ledgerDirectory: URL, pins: UpstreamPins?? = nil) async throws -> LabResult {
        let pins = try pins ?? PinsFile.read(RepositoryFiles.fixturePins, labId: spec.id)
        return try await AccountGrader(spec: spec, phase: phase, ledgers: LedgerStore(directory: ledgerDirectory), pins: pins).grade(clients())
    }
}
