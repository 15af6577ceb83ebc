import AWSCore
import Checks

/// Keeps secrets out of reports even if evidence recorded one by mistake.
enum Redaction {
    static let placeholder = "[redacted]"

    /// Parts of an evidence key that mark its value as a secret.
    private static let secretKeyParts = [
        "secret", "password", "passwd", "sessiontoken", "session_token", "authorizationtoken",
        "authorization", "credential", "privatekey", "private_key", "apikey", "api_key",
    ]

    static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        if lowered == "token" || lowered.hasSuffix("token") && !lowered.hasSuffix("tokencount") { return true }
        return secretKeyParts.contains { lowered.contains($0) }
    }

    /// `observed` with the values of secret-looking keys replaced.
    static func observed(_ observed: [String: String]) -> [String: String] {
        guard observed.keys.contains(where: isSecretKey) else { return observed }
        var copy = observed
        for key in observed.keys where isSecretKey(key) { copy[key] = placeholder }
        return copy
    }

    /// Every text of a result as reports write it: messages, hints, error types and evidence values
    /// through AWSCore's `SecretRedactor` (secret-looking values removed), evidence keys that name a
    /// secret replaced. Every report writer starts from this, so no secret reaches a report by any path.
    static func result(_ result: LabResult) -> LabResult {
        var copy = result
        copy.steps = result.steps.map { step in
            var step = step
            step.message = text(step.message)
            step.hint = step.hint.map(text)
            step.errorType = step.errorType.map { SecretRedactor.redact($0) }
            if var content = step.content {
                content.detail = text(content.detail)
                step.content = content
            }
            if let evidence = step.evidence {
                step.evidence = Evidence(
                    firstPassedAt: evidence.firstPassedAt, observed: observed(evidence.observed).mapValues { SecretRedactor.redact($0) },
                    source: evidence.source, event: evidence.event)
            }
            return step
        }
        return copy
    }

    /// A class result with every student's result and error message redacted as `result(_:)` does.
    static func classResult(_ classResult: ClassResult) -> ClassResult {
        var copy = classResult
        copy.students = classResult.students.map { student in
            var student = student
            student.result = student.result.map(result)
            student.error = student.error.map { StudentError($0.kind, message: SecretRedactor.redact($0.message)) }
            return student
        }
        return copy
    }

    static func text(_ text: LocalizedText) -> LocalizedText {
        LocalizedText(ko: SecretRedactor.redact(text.ko), en: SecretRedactor.redact(text.en))
    }
}
