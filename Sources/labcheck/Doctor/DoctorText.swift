import AWSCore
import Checks
import Foundation

/// The words of `labcheck doctor`: identity, region, endpoints, then per lab step the permissions and their verdict.
struct DoctorText {
    let language: Language

    private func pick(_ ko: String, _ en: String) -> String { language == .ko ? ko : en }

    func render(_ diagnosis: PermissionDiagnosis, connection: AccountConnection) -> String {
        var lines: [String] = []
        let labelWidth = 12
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " " + value)
        }
        if let identity = diagnosis.identity {
            row(pick("신원", "identity"), "\(identity.arn) (\(pick("계정", "account")) \(identity.account))")
        } else {
            row(pick("신원", "identity"), pick("알 수 없음", "unknown") + ": " + (diagnosis.identityProblem ?? ""))
        }
        switch diagnosis.subject {
        case .principal(let arn): row(pick("시뮬레이션", "simulated as"), arn)
        case .root(let account): row(pick("시뮬레이션", "simulated as"), pick("계정 \(account)의 루트 사용자 (IAM 정책 제한 없음)", "the root user of \(account) (not limited by IAM policies)"))
        case .unsupported(let reason): row(pick("시뮬레이션", "simulated as"), pick("불가: ", "not possible: ") + reason)
        case nil: break
        }
        row(pick("자격 증명", "credentials"), connection.credentialsSource)
        row(pick("리전", "region"), connection.region.description)
        for (index, (service, endpoint)) in connection.endpoints.enumerated() {
            row(index == 0 ? pick("엔드포인트", "endpoints") : "", "\(service.padding(toLength: 10, withPad: " ", startingAt: 0)) \(endpoint)")
        }
        lines.append("")
        lines.append(pick("단계별 필요한 권한 (IAM 정책 시뮬레이터)", "permissions per lab step (IAM's policy simulator)"))
        let idWidth = diagnosis.steps.map(\.id.count).max() ?? 0
        for step in diagnosis.steps {
            let verdict: String
            switch step.status {
            case .passed: verdict = pick("허용", "granted")
            case .failed: verdict = pick("부족", "MISSING")
            case .error, .skipped, .waived: verdict = pick("확인 불가", "unknown")
            }
            lines.append("  " + step.id.padding(toLength: idWidth, withPad: " ", startingAt: 0) + "  "
                + verdict.padding(toLength: 8, withPad: " ", startingAt: 0) + "  " + step.title.text(language))
            let actions = step.grants.flatMap { grant in grant.actions.map { ($0, grant.resources) } }
            if step.status == .failed {
                for decision in step.missing { lines.append("      - " + decision.words.text(language)) }
            } else if step.status == .passed {
                let names = Array(Set(actions.map(\.0))).sorted()
                lines.append("      " + names.joined(separator: ", "))
            }
            if let message = step.message, step.status != .failed { lines.append("      " + message.text(language)) }
        }
        lines.append("")
        if diagnosis.identity == nil {
            lines.append(pick("권한을 확인할 수 없습니다: 호출자를 알 수 없습니다.", "the permissions cannot be checked: the caller is not known."))
        } else if diagnosis.couldNotCheck {
            lines.append(pick("권한을 확인할 수 없는 단계가 있습니다 (점수에는 영향 없음).", "some steps' permissions could not be checked (this costs no points)."))
        }
        let missing = diagnosis.missingActions
        if missing.isEmpty, !diagnosis.couldNotCheck {
            lines.append(pick("모든 단계의 권한이 있습니다.", "every step's permissions are granted."))
        } else if !missing.isEmpty {
            let count = diagnosis.steps.filter { $0.status == .failed }.count
            lines.append(pick("\(count)개 단계에 권한이 부족합니다: \(missing.joined(separator: ", "))",
                              "\(count) step(s) lack permissions: \(missing.joined(separator: ", "))"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
