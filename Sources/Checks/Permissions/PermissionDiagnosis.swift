import AWSCore
import ECRWire
import Foundation

/// `labcheck doctor`'s answer to "why does my push fail?": who the caller is, whom IAM's simulator evaluates for
/// it, and for each step of the lab the permissions doing it takes and whether they are granted.
public struct PermissionDiagnosis: Sendable {
    public var identity: CallerIdentity?
    /// Why the caller is not known (STS refused or unreachable).
    public var identityProblem: String?
    public var subject: SimulationSubject?
    public var steps: [StepPermissions]

    /// One step's permissions.
    public struct StepPermissions: Sendable {
        public var id: String
        public var phase: Phase
        public var title: LocalizedText
        /// The permissions with variables filled in (`*` for one not known yet, such as `${prefix}`).
        public var grants: [RenderedGrant]
        public var decisions: [PermissionDecision]
        /// passed: all granted; failed: some missing (`missing`); error: could not be asked (`message`).
        public var status: StepStatus
        public var message: LocalizedText?

        public var missing: [PermissionDecision] { decisions.filter { !$0.allowed } }
    }

    /// Every action some step lacks, once each, in step order.
    public var missingActions: [String] {
        var seen: [String] = []
        for action in steps.flatMap(\.missing).map(\.action) where !seen.contains(action) { seen.append(action) }
        return seen
    }

    public var couldNotCheck: Bool { identity == nil || steps.contains { $0.status == .error } }

    /// Simulates, for the caller of `reader`, the permissions of every step of `spec` that lists some (and those
    /// of its `permissionsGranted` checks). After the simulator refuses once, the other steps say so without asking.
    public static func diagnose(spec: LabSpec, reader: AccountReader, region: String, captures: [String: String] = [:]) async -> PermissionDiagnosis {
        let identity: CallerIdentity
        do {
            guard let known = try await reader.identity() else {
                return PermissionDiagnosis(identity: nil, identityProblem: "no STS client", subject: nil, steps: [])
            }
            identity = known
        } catch {
            return PermissionDiagnosis(identity: nil, identityProblem: "\(error)", subject: nil, steps: [])
        }
        let subject = SimulationSubject.of(callerArn: identity.arn)
        let variables = captures.merging(["account": identity.account, "region": region]) { _, builtin in builtin }
        var steps: [StepPermissions] = []
        var refusal: StepOutcome?
        for step in spec.steps {
            var needed = step.permissions
            if case .permissionsGranted(let check) = step.check, check.principal == nil { needed = check.permissions + needed }
            guard !needed.isEmpty else { continue }
            let grants = needed.compactMap { $0.render(variables, unknown: "*") }
            var entry = StepPermissions(id: step.id, phase: step.phase, title: step.title, grants: grants, decisions: [], status: .passed, message: nil)
            switch subject {
            case .root:
                entry.message = LocalizedText(ko: "루트 사용자: 모두 허용", en: "root user: everything allowed")
            case .unsupported(let reason):
                entry.status = .error
                entry.message = LocalizedText(reason)
            case .principal(let arn):
                if let refusal {
                    entry.status = refusal.status
                    entry.message = refusal.message
                } else {
                    do {
                        entry.decisions = try await reader.simulate(principal: arn, grants: grants)
                        entry.status = entry.missing.isEmpty ? .passed : .failed
                    } catch {
                        let outcome = PermissionOutcome.simulationFailed(error, principal: arn)
                        entry.status = outcome.status
                        entry.message = outcome.message
                        refusal = outcome
                    }
                }
            }
            steps.append(entry)
        }
        return PermissionDiagnosis(identity: identity, identityProblem: nil, subject: subject, steps: steps)
    }
}
