/// The outcome of one step.
public enum StepStatus: String, Codable, Sendable, CaseIterable {
    /// The assertion held (now, or earlier as recorded in the evidence ledger).
    case passed
    /// The assertion did not hold: the message says what was expected and what was found.
    case failed
    /// The step could not be evaluated (network, credentials, AccessDenied): not the student's fault.
    case error
    /// Not evaluated: a dependency did not pass, or the step's phase is not being graded yet.
    case skipped
    /// The grading policy waived the step for this student (`policy.waiver` holds the reason and the
    /// expiry): its points are granted or it leaves the total, as the waiver says. Never "passed".
    case waived
}
