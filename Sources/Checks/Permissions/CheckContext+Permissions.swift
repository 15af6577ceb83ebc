import AWSCore
import ECRWire
import Foundation

extension CheckContext {
    /// `permissionsGranted`: simulates the principal's policies for every action and resource; passes when all are
    /// allowed, fails naming each missing one, and is an error (never a lost point: pre-flight steps have none)
    /// when the simulator cannot be asked.
    func permissionsGranted(_ check: PermissionCheck, variables: [String: String]) async -> StepOutcome {
        let subject: SimulationSubject
        if let principal = check.principal {
            subject = .principal(principal.render(variables) ?? principal.raw)
        } else {
            do {
                guard let identity = try await reader.identity() else {
                    return .error(PermissionOutcome.noIdentity)
                }
                subject = .of(callerArn: identity.arn)
            } catch {
                return .error(error)
            }
        }
        let grants = check.permissions.compactMap { $0.render(variables) }
        let actionCount = Set(grants.flatMap(\.actions)).count
        switch subject {
        case .root(let account):
            return .passed(LocalizedText(
                ko: "계정 \(account)의 루트 사용자입니다: IAM 정책의 제한을 받지 않습니다 (필요한 작업 \(actionCount)개 모두 가능)",
                en: "the root user of account \(account): IAM policies do not limit it (all \(actionCount) actions needed are possible)"),
                observed: ["principal": "arn:aws:iam::\(account):root"])
        case .unsupported(let reason):
            return PermissionOutcome.cannotSimulate(LocalizedText(ko: reason, en: reason), errorType: "UnsupportedPrincipal")
        case .principal(let arn):
            let decisions: [PermissionDecision]
            do {
                decisions = try await reader.simulate(principal: arn, grants: grants)
            } catch {
                return PermissionOutcome.simulationFailed(error, principal: arn)
            }
            let missing = decisions.filter { !$0.allowed }
            if missing.isEmpty {
                return .passed(LocalizedText(
                    ko: "\(arn) 은(는) 필요한 작업 \(actionCount)개가 모두 허용됩니다",
                    en: "\(arn) is allowed all \(actionCount) actions needed"), observed: ["principal": arn])
            }
            let ko = missing.map(\.words.ko).joined(separator: "; ")
            let en = missing.map(\.words.en).joined(separator: "; ")
            return .failed(LocalizedText(
                ko: "\(arn) 에 없는 권한: \(ko). IAM 정책에 이 작업들을 추가하세요.",
                en: "\(arn) is missing: \(en). Add these actions to its IAM policy."))
        }
    }
}

/// The words of a permission check that could not be made.
enum PermissionOutcome {
    static let simulateAction = "iam:SimulatePrincipalPolicy"

    struct NoIdentity: Error, CustomStringConvertible {
        var description: String { "STS did not say who the caller is" }
    }
    static let noIdentity = NoIdentity()

    static func cannotSimulate(_ reason: LocalizedText, errorType: String) -> StepOutcome {
        StepOutcome(status: .error, message: LocalizedText(
            ko: "권한을 확인할 수 없습니다 (점수에는 영향 없음): \(reason.ko)",
            en: "cannot check the permissions (this costs no points): \(reason.en)"), errorType: errorType)
    }

    static func simulationFailed(_ error: any Error, principal: String) -> StepOutcome {
        switch error {
        case let error as AWSServiceError where error.isAccessDenied:
            return cannotSimulate(LocalizedText(
                ko: "이 자격 증명은 \(simulateAction) 을(를) 호출할 수 없습니다 (\(error.code): \(error.message)). 확인하려면 \(principal) 에 대한 \(simulateAction) 권한이 필요합니다.",
                en: "these credentials may not call \(simulateAction) (\(error.code): \(error.message)); checking needs \(simulateAction) on \(principal)"),
                errorType: FailureCode.of(error))
        case let error as AWSServiceError where error.code == IAMErrorCode.noSuchEntity.rawValue:
            return cannotSimulate(LocalizedText(
                ko: "IAM에 \(principal) 이(가) 없습니다 (\(error.message)). 경로가 있는 역할이면 principal: 에 역할 ARN을 적으세요.",
                en: "IAM has no \(principal) (\(error.message)); for a role with a path, give its ARN as principal:"),
                errorType: FailureCode.of(error))
        case let error as AWSServiceError:
            return cannotSimulate(LocalizedText(
                ko: "IAM 정책 시뮬레이터 호출 실패: \(error.description)", en: "the IAM policy simulator failed: \(error.description)"),
                errorType: FailureCode.of(error))
        case let error as AWSTransportError:
            return cannotSimulate(LocalizedText(
                ko: "IAM에 연결할 수 없습니다: \(error.description)", en: "could not reach IAM: \(error.description)"),
                errorType: FailureCode.of(error))
        default:
            return cannotSimulate(LocalizedText("\(error)"), errorType: FailureCode.of(error))
        }
    }
}
