import AWSCore
import Checks
import ECRWire
import Foundation
import Reports

/// Grades every student of a roster, `jobs` at a time, each into `<output>/students/<id>/` with their
/// own evidence ledger (so a later run adds to what this one saw). One student's failure becomes an
/// error row for that student; it never stops the class.
struct ClassGrader: Sendable {
    let spec: LabSpec
    let phase: PhaseSelection
    let output: URL
    let jobs: Int
    let connector: StudentConnector
    let language: Language

    func studentDirectory(_ studentId: String) -> URL {
        output.appendingPathComponent("students", isDirectory: true).appendingPathComponent(studentId, isDirectory: true)
    }

    func grade(_ roster: Roster, progress: ProgressReporter) async -> ClassResult {
        let started = Date()
        var outcomes = roster.rowErrors.map { row in
            StudentOutcome(studentId: row.studentId ?? "line-\(row.line)", name: nil, accountId: nil, rosterLine: row.line, result: nil,
                           error: StudentError(type: "RosterError", message: "\(roster.source): \(row.description)"))
        }
        for outcome in outcomes { await progress.finished(outcome) }
        await withTaskGroup(of: StudentOutcome.self) { group in
            var pending = roster.entries[...]
            func startNext() {
                guard let entry = pending.popFirst() else { return }
                group.addTask { await grade(entry) }
            }
            for _ in 0..<max(1, jobs) { startNext() }
            for await outcome in group {
                outcomes.append(outcome)
                await progress.finished(outcome)
                startNext()
            }
        }
        let columns = spec.steps.filter { phase.includes($0.phase) }
            .map { StepColumn(id: $0.id, phase: $0.phase, title: $0.title, points: $0.points) }
        return ClassResult(labId: spec.id, labTitle: spec.title, phase: phase, steps: columns, students: outcomes,
                           startedAt: started, finishedAt: Date())
    }

    func grade(_ entry: RosterEntry) async -> StudentOutcome {
        func errorRow(_ type: String, _ message: String) -> StudentOutcome {
            StudentOutcome(studentId: entry.studentId, name: entry.name, accountId: entry.accountId, rosterLine: entry.line,
                           result: nil, error: StudentError(type: type, message: message))
        }
        let clients: StudentConnector.Clients
        do {
            clients = try await connector.connect(entry)
        } catch let error as StudentConnectionError {
            return errorRow("AssumeRoleFailed", error.description)
        } catch {
            return errorRow("CredentialsFailed", "\(error)")
        }
        let directory = studentDirectory(entry.studentId)
        let store = LedgerStore(directory: directory)
        let labId = spec.id
        let client = clients.client
        let output: Evaluator.Output
        do {
            output = try await Evaluator(spec: spec, reader: AccountReader(ecr: clients.ecr, sts: clients.sts)).evaluate(
                phase: phase, accountId: nil, region: clients.region, studentId: entry.studentId,
                expectedCaptures: entry.cachePrefix.map { ["prefix": $0] } ?? [:],
                apiCalls: { client.totalRequests },
                loadLedger: { try store.load(labId: labId, accountId: $0) })
        } catch {
            return errorRow(Self.errorType(error), "\(error)")
        }
        if let seen = output.result.accountId, seen != entry.accountId {
            return errorRow("WrongAccount", "the credentials for \(entry.studentId) reach account \(seen), not the roster's \(entry.accountId)")
        }
        let graded = output.result.steps.filter { $0.status != .skipped }
        if !graded.isEmpty, graded.allSatisfy({ $0.status == .error }), let first = graded.first {
            return errorRow(first.errorType ?? "Error", first.message.en)
        }
        do {
            try store.save(output.ledger)
            try ReportWriter(language: language).write(output.result, to: directory)
        } catch {
            return errorRow("ReportWriteFailed", "\(error)")
        }
        return StudentOutcome(studentId: entry.studentId, name: entry.name, accountId: entry.accountId, rosterLine: entry.line,
                              result: output.result, error: nil)
    }

    static func errorType(_ error: any Error) -> String {
        switch error {
        case let error as AWSServiceError: error.code
        case let error as AWSTransportError: error.kind == .timedOut ? "Timeout" : "ConnectionFailed"
        case is CredentialProviderError: "NoCredentials"
        case is LedgerError: "LedgerError"
        default: "Error"
        }
    }
}
