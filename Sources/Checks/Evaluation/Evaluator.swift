import AWSCore
import ECRWire
import Foundation

/// Grades a lab spec against one account: evaluates the steps with shared listings, applies the
/// evidence ledger (a step that passed once stays passed; cleanup only after the build was seen),
/// consults the account's CloudTrail history for what neither shows (see `HistoryReader`), and returns
/// the results and the updated ledger. It never formats and never writes files.
public struct Evaluator: Sendable {
    public let spec: LabSpec
    public let reader: AccountReader
    /// The upstream images' digests for `sameAs` checks; nil grades image steps by tag (and says so).
    public let pins: UpstreamPins?
    /// The account's CloudTrail history; nil grades from the live state and the ledger only.
    public let history: HistoryReader?
    public var now: @Sendable () -> Date

    public init(
        spec: LabSpec, reader: AccountReader, pins: UpstreamPins? = nil, history: HistoryReader? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.spec = spec
        self.reader = reader
        self.pins = pins
        self.history = history
        self.now = now
    }

    public struct Output: Sendable {
        public var result: LabResult
        public var ledger: EvidenceLedger
    }

    /// - Parameters:
    ///   - accountId: the account, when already known (a roster); otherwise asked of STS.
    ///   - loadLedger: the ledger of (lab, account), called once the account is known.
    ///   - expectedCaptures: values a capturing step must find (e.g. a roster's `cache_prefix` for `prefix`).
    public func evaluate(
        phase: PhaseSelection, accountId knownAccount: String?, region: String, studentId: String? = nil,
        expectedCaptures: [String: String] = [:],
        deadline: Date? = nil,
        apiCalls: @Sendable () -> Int = { 0 },
        loadLedger: @Sendable (String) throws -> EvidenceLedger
    ) async throws -> Output {
        let started = now()
        // Past a deadline, a pass seen only now is late unless the history says when it was done: then the
        // history is asked for the time of a pass it would otherwise not be asked about.
        let deadlinePassed = deadline.map { started > $0 } ?? false
        let steps = spec.steps
        // Listings for the phases graded (a pre-flight alone lists nothing of ECR).
        let needsRepositories = steps.contains { phase.includes($0.phase) && $0.check.readsRepositories }
        let needsRules = steps.contains { phase.includes($0.phase) && $0.check.readsCacheRules }

        // Independent listings first, concurrently.
        let reader = self.reader
        async let pendingIdentity = Self.capture { knownAccount == nil ? try await reader.identity() : nil }
        async let pendingRepositories = Self.capture { needsRepositories ? try await reader.repositories() : [] }
        async let pendingRules = Self.capture { needsRules ? try await reader.cacheRules() : [] }
        let identityResult = await pendingIdentity
        let repositories = await pendingRepositories
        let rules = await pendingRules
        let accountId: String
        switch identityResult {
        case .success(let identity):
            accountId = knownAccount ?? identity?.account ?? "unknown"
        case .failure(let error):
            // STS unreachable but ECR answered: ECR names the registry (= account) too.
            let seen = (try? repositories.get().first?.registryId) ?? (try? rules.get().first?.registryId)
            guard let seen = seen ?? nil else { throw error }
            accountId = seen
        }
        var ledger = try loadLedger(accountId)
        ledger.region = region

        var variables = ledger.captures.merging(["account": accountId, "region": region]) { _, builtin in builtin }
        // Start image listings that need no captured variable right away.
        if case .success(let repos) = repositories {
            let existing = Set(repos.compactMap(\.repositoryName))
            let wanted = steps.compactMap { step -> String? in
                guard phase.includes(step.phase), case .imageTagPresent(let check) = step.check,
                      let name = check.repository.render(variables), existing.contains(name) else { return nil }
                return name
            }
            await reader.prefetchImages(wanted)
        }

        let context = CheckContext(
            reader: reader, repositories: repositories, rules: rules, registryId: accountId, expectedCaptures: expectedCaptures, pins: pins)
        var results: [String: StepResult] = [:]
        var ordered: [StepResult] = []
        let buildIds = steps.filter { $0.phase == .build }.map(\.id)
        // The history is asked only for what can change a grade: a build step neither live nor in the
        // ledger, and then the order of the cleanup's deletions. A build that shows live costs nothing more.
        var history = HistoryConsultation(reader: self.history)
        var buildFinish: BuildFinish??

        for step in steps {
            let stepStart = Date()
            guard phase.includes(step.phase) else { continue }
            var outcome: StepOutcome
            if step.phase == .cleanup, !buildIds.allSatisfy({ results[$0]?.status == .passed || ledger.steps[$0] != nil }) {
                let missing = buildIds.filter { results[$0]?.status != .passed && ledger.steps[$0] == nil }
                outcome = .skipped(LocalizedText(
                    ko: "빌드 단계를 먼저 끝내세요 (아직 통과하지 않은 단계: \(missing.joined(separator: ", ")))",
                    en: "finish the build steps first (not yet seen passing: \(missing.joined(separator: ", ")))"))
            } else if let blocker = step.needs.first(where: { results[$0].map { $0.status != .passed } ?? (ledger.steps[$0] == nil) }) {
                outcome = .skipped(LocalizedText(
                    ko: "선행 단계 '\(blocker)'이(가) 통과하지 않아 건너뜀", en: "skipped: step '\(blocker)' it needs did not pass"))
            } else {
                outcome = await context.evaluate(step.check, variables: variables)
                if step.phase == .build, outcome.status != .passed, ledger.steps[step.id] == nil,
                   let fromTrail = await history.ask({ try await context.trailOutcome(
                       step.check, variables: variables, history: $0, cachePrefixes: Self.cachePrefixes(spec, variables)) }),
                   fromTrail.status == .passed || outcome.status == .failed {
                    outcome = fromTrail
                } else if step.phase == .cleanup, history.used || (deadlinePassed && outcome.status == .passed) {
                    if buildFinish == nil {
                        buildFinish = await Self.buildFinish(spec, results: results, ledger: ledger, context: context, variables: variables, history: &history)
                    }
                    outcome = await Self.orderCleanup(outcome, step.check, variables: variables, build: buildFinish ?? nil, context: context, history: &history)
                }
            }

            var result = StepResult(
                id: step.id, phase: step.phase, title: step.title, hint: step.hint.map { Self.fill($0, variables) }, points: step.points, earned: 0,
                status: outcome.status, message: outcome.message, errorType: outcome.errorType,
                durationSeconds: Date().timeIntervalSince(stepStart), check: step.check.describe(variables),
                creditPerCondition: step.creditPerCondition)
            if outcome.status == .passed || outcome.status == .failed {
                result.conditions = context.conditions(step.check, variables: variables)
            }
            if outcome.status == .passed {
                result.evidence = ledger.recordPass(step.id, at: outcome.event?.eventTime ?? now(), observed: outcome.observed, event: outcome.event)
                result.source = outcome.event == nil ? .live : .trail
                for (name, value) in outcome.captured { variables[name] = value; ledger.captures[name] = value }
            } else if let earlier = ledger.steps[step.id] {
                result.status = .passed
                result.passedEarlier = true
                result.evidence = earlier
                result.source = .ledger
                result.errorType = nil
                // The date is the evidence's (reports show it once, from there).
                result.message = LocalizedText(
                    ko: "이전에 통과한 기록이 있습니다 (현재: \(outcome.message.ko))",
                    en: "passed earlier (now: \(outcome.message.en))")
            }
            if result.status == .passed {
                result.content = result.evidence.flatMap { ContentVerification(observed: $0.observed) }
                if let deadline, step.phase == .build, let evidence = result.evidence, evidence.event == nil, evidence.firstPassedAt > deadline,
                   let event = await history.ask({ try await context.trailOutcome(
                       step.check, variables: variables, history: $0, cachePrefixes: Self.cachePrefixes(spec, variables)) })?.event {
                    // When the work was done, for the deadline: kept with the evidence for later gradings too.
                    result.evidence?.event = event
                    ledger.steps[step.id]?.event = event
                }
            }
            if result.isPartial, history.used || deadlinePassed,
               let event = await history.ask({ try await context.latestDeletion(of: result.metConditions, step.check, variables: variables, history: $0) }) {
                // The part done has evidence too: when it was done, for the deadline and for `explain`.
                result.evidence = Evidence(
                    firstPassedAt: event.eventTime, observed: ["deleted": result.metConditions.joined(separator: ",")], source: .trail, event: event.reference)
            }
            result.earned = result.creditEarned
            results[step.id] = result
            ordered.append(result)
        }

        let labResult = LabResult(
            labId: spec.id, labTitle: spec.title, accountId: accountId, region: region, studentId: studentId,
            phase: phase, startedAt: started, finishedAt: now(), steps: ordered, apiCalls: apiCalls(),
            warnings: await history.warnings(now: now()),
            specDigest: spec.digest, labcheckVersion: LabCheckVersion.current)
        return Output(result: labResult, ledger: ledger)
    }

    /// Replaces `${name}` in free text (hints) with known values; unknown ones stay as written.
    static func fill(_ text: LocalizedText, _ variables: [String: String]) -> LocalizedText {
        var result = text
        for (name, value) in variables {
            result.ko = result.ko.replacingOccurrences(of: "${\(name)}", with: value)
            result.en = result.en.replacingOccurrences(of: "${\(name)}", with: value)
        }
        return result
    }

    static func capture<T: Sendable>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}
