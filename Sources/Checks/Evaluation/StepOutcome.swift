import AWSCore
import ECRWire

/// What evaluating one step against the current state gave, before the ledger is consulted.
struct StepOutcome: Sendable {
    var status: StepStatus
    var message: LocalizedText
    var errorType: String?
    /// What was seen, kept as evidence on a pass.
    var observed: [String: String] = [:]
    /// Variables this step captured.
    var captured: [String: String] = [:]
    /// For a pass proven by the CloudTrail history: the event (its time is the evidence's time).
    var event: TrailEventReference?

    static func passed(
        _ message: LocalizedText, observed: [String: String] = [:], captured: [String: String] = [:], event: TrailEventReference? = nil
    ) -> StepOutcome {
        StepOutcome(status: .passed, message: message, observed: observed, captured: captured, event: event)
    }

    static func failed(_ message: LocalizedText) -> StepOutcome {
        StepOutcome(status: .failed, message: message)
    }

    static func skipped(_ message: LocalizedText) -> StepOutcome {
        StepOutcome(status: .skipped, message: message)
    }

    /// A step that could not be evaluated, with the cause in words a student can act on.
    static func error(_ error: any Error) -> StepOutcome {
        switch error {
        case let error as AWSServiceError where error.isAccessDenied:
            let action = error.operation ?? "\(ECRService.signingName):*"
            return StepOutcome(status: .error, message: LocalizedText(
                ko: "권한이 없습니다: 이 자격 증명은 \(action) 을(를) 호출할 수 없습니다 (\(error.code): \(error.message)). IAM 정책에 \(action) 권한을 추가하세요.",
                en: "access denied: these credentials may not call \(action) (\(error.code): \(error.message)). Add \(action) to the IAM policy."),
                errorType: FailureCode.of(error))
        case let error as AWSServiceError where error.isAuthenticationFailure:
            // Not a permission: the credentials themselves (key, secret, session token, clock) were refused.
            return StepOutcome(status: .error, message: LocalizedText(
                ko: "자격 증명이 거부되었습니다 (\(error.code): \(error.message)). 액세스 키, 시크릿, 세션 토큰과 시스템 시계를 확인하세요.",
                en: "the credentials were refused (\(error.code): \(error.message)). Check the access key, secret, session token and the clock."),
                errorType: FailureCode.of(error))
        case let error as AWSServiceError:
            return StepOutcome(status: .error, message: LocalizedText(
                ko: "ECR 호출 실패: \(error.description)", en: "ECR call failed: \(error.description)"), errorType: FailureCode.of(error))
        case let error as AWSTransportError:
            return StepOutcome(status: .error, message: LocalizedText(
                ko: "ECR에 연결할 수 없습니다: \(error.description)", en: "could not reach ECR: \(error.description)"),
                errorType: FailureCode.of(error))
        case let error as CredentialProviderError:
            return StepOutcome(status: .error, message: LocalizedText(
                ko: "AWS 자격 증명을 찾을 수 없습니다: \(error.description)", en: "no usable AWS credentials: \(error.description)"),
                errorType: FailureCode.of(error))
        default:
            return StepOutcome(status: .error, message: LocalizedText("\(error)"), errorType: FailureCode.of(error))
        }
    }
}
