import Foundation

/// An error as STS sends it (query protocol, XML `ErrorResponse`).
struct STSError: Error, Sendable, Equatable {
    var code: String
    var status: Int
    var message: String
    /// "Sender" for the caller's mistakes, "Receiver" for the service's.
    var type: String = "Sender"

    static func validation(_ message: String) -> STSError { STSError(code: "ValidationError", status: 400, message: message) }
}
