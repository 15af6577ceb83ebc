import AWSCore
import ECRWire
import Foundation

/// The one way to grade one account, used by `check`, `grade`, `demo`, `verify-lab` and the tests:
/// evaluate the spec over the account's clients, apply the account's evidence ledger, and keep the
/// updated ledger. It neither formats nor writes reports (that is the caller's, from the result).
public struct AccountGrader: Sendable {
    public let spec: LabSpec
    public let phase: PhaseSelection
    public let ledgers: any LedgerKeeping
    /// The upstream images' digests (`labcheck pin`); nil grades image steps by tag and says so.
    public let pins: UpstreamPins?
    /// The part of the account's CloudTrail history read when a step neither shows live nor is in the
    /// ledger; nil never reads the history.
    public let history: HistoryWindow?
    /// LookupEvents requests per second within one account (CloudTrail's quota: 2).
    public let lookupRate: Int
    /// The instructor's grading policy (deadline, points, waivers); nil grades by the spec alone.
    public let policy: GradingPolicy?
    public let now: @Sendable () -> Date

    public init(
        spec: LabSpec, phase: PhaseSelection = .all, ledgers: any LedgerKeeping, pins: UpstreamPins? = nil,
        history: HistoryWindow? = HistoryWindow(), lookupRate: Int = CloudTrailClient.lookupRequestsPerSecond,
        policy: GradingPolicy? = nil, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.policy = policy
        self.spec = spec
        self.phase = phase
        self.ledgers = ledgers
        self.pins = pins
        self.history = history
        self.lookupRate = lookupRate
        self.now = now
    }

    /// Who is graded, as far as the caller knows.
    public struct Subject: Sendable {
        /// The account, when already known; otherwise asked of STS.
        public var accountId: String?
        /// When set, credentials that reach another account fail with `AccountGradingError.wrongAccount`.
        public var expectedAccountId: String?
        /// A roster's student id, recorded in the result.
        public var studentId: String?
        /// Values a capturing step must find (a roster's `cache_prefix` for `prefix`).
        public var expectedCaptures: [String: String]
        /// The student's own deadline (a roster's `deadline`), which overrides the policy's.
        public var deadline: Date?

        public init(
            accountId: String? = nil, expectedAccountId: String? = nil, studentId: String? = nil, expectedCaptures: [String: String] = [:],
            deadline: Date? = nil
        ) {
            self.deadline = deadline
            self.accountId = accountId
            self.expectedAccountId = expectedAccountId
            self.studentId = studentId
            self.expectedCaptures = expectedCaptures
        }
    }

    /// Grades the account behind `clients` and saves its ledger.
    /// - Throws: `AccountGradingError`: the ledger could not be read or written, the account could not
    ///   be evaluated, or the credentials reach another account than expected.
    public func grade(_ clients: AccountClients, _ subject: Subject = Subject()) async throws(AccountGradingError) -> LabResult {
        let end = now()
        // One pacer per account: accounts graded at the same time each keep within their own quota.
        let historyReader = history.map {
            HistoryReader(
                cloudTrail: clients.cloudTrail, start: $0.start(now: end), end: end, ownUserAgent: clients.client.userAgent,
                pacer: LookupPacer(requestsPerSecond: lookupRate))
        }
        let evaluator = Evaluator(
            spec: spec, reader: AccountReader(ecr: clients.ecr, sts: clients.sts, iam: clients.iam), pins: pins, history: historyReader, now: now)
        let client = clients.client
        let ledgers = self.ledgers
        let labId = spec.id
        let output: Evaluator.Output
        do {
            output = try await evaluator.evaluate(
                phase: phase, accountId: subject.accountId, region: clients.region, studentId: subject.studentId,
                expectedCaptures: subject.expectedCaptures, deadline: subject.deadline ?? policy?.deadline, apiCalls: { client.totalRequests },
                loadLedger: { try ledgers.load(labId: labId, accountId: $0) })
        } catch let error as LedgerError {
            throw .ledger(error)
        } catch {
            throw .evaluation(error)
        }
        if let expected = subject.expectedAccountId, let seen = output.result.accountId, seen != expected {
            throw .wrongAccount(expected: expected, found: seen)
        }
        do {
            try ledgers.save(output.ledger)
        } catch {
            throw .saveLedger(error)
        }
        guard policy != nil || subject.deadline != nil else { return output.result }
        return (policy ?? GradingPolicy()).apply(to: output.result, studentDeadline: subject.deadline, now: end)
    }
}

/// Why an account could not be graded.
public enum AccountGradingError: Error, Sendable, CustomStringConvertible {
    /// The kept ledger is unreadable (bad input: the file names itself).
    case ledger(LedgerError)
    /// The account could not be evaluated (network, credentials, the service).
    case evaluation(any Error)
    /// The credentials reach `found`, not the `expected` account.
    case wrongAccount(expected: String, found: String)
    /// The updated ledger could not be written.
    case saveLedger(any Error)

    public var description: String {
        switch self {
        case .ledger(let error): error.description
        case .evaluation(let error): "could not evaluate the lab: \(error)"
        case .wrongAccount(let expected, let found): "the credentials reach account \(found), not \(expected)"
        case .saveLedger(let error): "could not save the evidence ledger: \(error)"
        }
    }

    /// The cause as a student error row names it.
    public var studentErrorKind: StudentError.Kind {
        switch self {
        case .ledger: .ledger
        case .evaluation(let error): .evaluation(code: FailureCode.of(error))
        case .wrongAccount: .wrongAccount
        case .saveLedger: .reportWriteFailed
        }
    }
}
