import ECRWire
import Foundation

/// An IAM error answer: the model's code (`NoSuchEntity`), its HTTP status, IAM's message.
struct IAMAPIError: Error, Sendable, Equatable {
    var code: IAMErrorCode
    var status: Int
    var message: String

    init(_ code: IAMErrorCode, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status ?? IAMErrorCode.httpStatuses[code] ?? 400
    }

    /// `Sender` for the caller's mistakes, `Receiver` for the service's.
    var type: String { status >= 500 ? "Receiver" : "Sender" }

    static func noSuchUser(_ name: String) -> IAMAPIError { IAMAPIError(.noSuchEntity, "The user with name \(name) cannot be found.") }
    static func noSuchRole(_ name: String) -> IAMAPIError { IAMAPIError(.noSuchEntity, "The role with name \(name) cannot be found.") }
    static func noSuchPolicy(_ arn: String) -> IAMAPIError { IAMAPIError(.noSuchEntity, "Policy \(arn) does not exist or is not attachable.") }
    static func malformed(_ error: PolicyDocumentError) -> IAMAPIError { IAMAPIError(.malformedPolicyDocument, error.description) }
    static func accessDenied(_ refusal: AccessRefusal) -> IAMAPIError { IAMAPIError(.accessDenied, refusal.message, status: 403) }
}
