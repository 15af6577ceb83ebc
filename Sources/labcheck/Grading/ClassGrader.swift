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
    let pins: UpstreamPins?
    let phase: PhaseSelection
    let output: URL
    let jobs: Int
    let connector: StudentConnector
    let language: Language
    /// The part of each student's CloudTrail history read (nil: none); each account is paced on its own.
    let history: HistoryWindow?
    /// The instructor's grading policy (points, deadline, waivers); nil grades by the spec alone.
    var policy: GradingPolicy?

    func studentDirectory(_ studentId: String) -> URL {
        output.appendingPathComponent("students", isDirectory: true).appendingPathComponent(studentId, isDirectory: true)
    }

    func grade(_ roster: Roster, progress: ProgressReporter) async -> ClassResult {
        let started = Date()
        var outcomes = roster.rowErrors.map { row in
            StudentOutcome(studentId: row.studentId ?? "line-\(row.line)", name: nil, accountId: nil, rosterLine: row.line, result: nil,
                           error: StudentError(.roster, message: "\(roster.source): \(row.description)"))
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
            .map { StepColumn(id: $0.id, phase: $0.phase, title: $0.title, points: policy?.points(of: $0) ?? $0.points) }
        return ClassResult(labId: spec.id, labTitle: spec.title, phase: phase, steps: columns, students: outcomes,
                           startedAt: started, finishedAt: Date())
    }

    func grade(_ entry: RosterEntry) async -> StudentOutcome {
        func errorRow(_ kind: StudentError.Kind, _ message: String) -> StudentOutcome {
            StudentOutcome(studentId: entry.studentId, name: entry.name, accountId: entry.accountId, rosterLine: entry.line,
                           result: nil, error: StudentError(kind, message: message))
        }
        let clients: AccountClients
        do {
            clients = try await connector.connect(entry)
        } catch let error as StudentConnectionError {
            return errorRow(.assumeRoleFailed, error.description)
        } catch {
            return errorRow(.credentialsFailed, "\(error)")
        }
        let directory = studentDirectory(entry.studentId)
        let grader = AccountGrader(spec: spec, phase: phase, ledgers: LedgerStore(directory: directory), pins: pins, history: history, policy: policy)
        let subject = AccountGrader.Subject(
            expectedAccountId: entry.accountId, studentId: entry.studentId,
            expectedCaptures: entry.cachePrefix.map { ["prefix": $0] } ?? [:], deadline: entry.deadline)
        let result: LabResult
        do {
            result = try await grader.grade(clients, subject)
        } catch .wrongAccount(let expected, let found) {
            return errorRow(.wrongAccount, "the credentials for \(entry.studentId) reach account \(found), not the roster's \(expected)")
        } catch .evaluation(let error) {
            return errorRow(.evaluation(code: FailureCode.of(error)), "\(error)")
        } catch {
            return errorRow(error.studentErrorKind, error.description)
        }
        do {
            // The student's own reports are kept even when the class row is an error: they say what was seen.
            try ReportWriter(language: language).write(result, to: directory)
        } catch {
            return errorRow(.reportWriteFailed, "\(error)")
        }
        // A step that could not be evaluated (throttling that outlasted the retries, an outage, a missing
        // permission) would score 0 in the class report: the row is an error instead, never a lower score.
        if let first = result.steps.first(where: { $0.status == .error }) {
            let count = result.count(.error)
            return errorRow(.evaluation(code: first.errorType ?? "Error"),
                            "\(count) step\(count == 1 ? "" : "s") could not be evaluated; \(first.id): \(first.message.en)")
        }
        return StudentOutcome(studentId: entry.studentId, name: entry.name, accountId: entry.accountId, rosterLine: entry.line,
                              result: result, error: nil)
    }
}
