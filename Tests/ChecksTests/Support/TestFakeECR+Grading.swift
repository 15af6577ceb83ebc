import AWSCore
import Checks
import FakeECR
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
    /// The history is read from `fixtureHistoryStart` on (the fixtures' trails are of April 2025).
    func grade(
        _ spec: LabSpec, phase: PhaseSelection = .all, ledgerDirectory: URL, pins: UpstreamPins?? = nil,
        expectedCaptures: [String: String] = [:], lookupRate: Int = 50, history: HistoryWindow?? = nil,
        credentials: Credentials = TestFakeECR.exampleCredentials, policy: GradingPolicy? = nil, studentId: String? = nil,
        deadline: Date? = nil, now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> LabResult {
        let pins = try pins ?? PinsFile.read(RepositoryFiles.fixturePins, labId: spec.id)
        let grader = AccountGrader(
            spec: spec, phase: phase, ledgers: LedgerStore(directory: ledgerDirectory), pins: pins,
            history: history ?? HistoryWindow(since: .date(Self.fixtureHistoryStart)), lookupRate: lookupRate, policy: policy, now: now)
        return try await grader.grade(
            clients(credentials), AccountGrader.Subject(studentId: studentId, expectedCaptures: expectedCaptures, deadline: deadline))
    }

    /// Before every fixture trail (their events are of April 2025).
    static let fixtureHistoryStart = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01

    /// A fake that keeps fixture trails however old they are, and answers LookupEvents without a rate limit
    /// (`lookupRate` sets one: 2 is AWS's).
    static func historyConfiguration(lookupRate: Double = 0) -> FakeECRConfiguration {
        var configuration = TestFakeECR.configuration()
        configuration.trail.retention = TrailRetention(maxAge: .infinity)
        configuration.trail.lookupRate = lookupRate
        return configuration
    }
}
