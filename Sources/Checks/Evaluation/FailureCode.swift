import AWSCore
import Foundation

/// The machine-readable cause of a failed evaluation, as steps (`StepResult.errorType`) and error
/// rows (`StudentError.Kind.evaluation`) carry it: the AWS error code when the service answered,
/// else what went wrong on the way.
public enum FailureCode {
    public static let timeout = "Timeout"
    public static let connectionFailed = "ConnectionFailed"
    public static let noCredentials = "NoCredentials"
    public static let ledger = "LedgerError"

    public static func of(_ error: any Error) -> String {
        switch error {
        case let error as AWSServiceError: error.code
        case let error as AWSTransportError: error.kind == .timedOut ? timeout : connectionFailed
        case is CredentialProviderError: noCredentials
        case is LedgerError: ledger
        default: String(describing: type(of: error))
        }
    }
}
