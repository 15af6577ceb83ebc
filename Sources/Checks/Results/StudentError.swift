import Foundation

/// Why a student could not be graded: a typed kind (what decides exit codes and report labels) and
/// the message a reader acts on. On the wire (class.json) the kind is written as its `code`.
public struct StudentError: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A bad roster row (malformed account id, duplicate student, …): bad input, exit 2.
        case roster
        /// The student's role could not be assumed.
        case assumeRoleFailed
        /// No usable credentials for the student (profile, credential_process, …).
        case credentialsFailed
        /// The credentials reach another account than the roster's.
        case wrongAccount
        /// The student's reports or ledger could not be written.
        case reportWriteFailed
        /// The student's evidence ledger could not be read.
        case ledger
        /// The account could not be evaluated; `code` is the cause (an AWS error code, "Timeout", "ConnectionFailed", …).
        case evaluation(code: String)

        /// The code written to reports: "RosterError", "AssumeRoleFailed", "AccessDeniedException", …
        public var code: String {
            switch self {
            case .roster: "RosterError"
            case .assumeRoleFailed: "AssumeRoleFailed"
            case .credentialsFailed: "CredentialsFailed"
            case .wrongAccount: "WrongAccount"
            case .reportWriteFailed: "ReportWriteFailed"
            case .ledger: FailureCode.ledger
            case .evaluation(let code): code
            }
        }

        /// The kind a written code stands for (unknown codes are evaluation causes).
        public init(code: String) {
            switch code {
            case "RosterError": self = .roster
            case "AssumeRoleFailed": self = .assumeRoleFailed
            case "CredentialsFailed": self = .credentialsFailed
            case "WrongAccount": self = .wrongAccount
            case "ReportWriteFailed": self = .reportWriteFailed
            case FailureCode.ledger: self = .ledger
            default: self = .evaluation(code: code)
            }
        }

        /// True when the input (the roster) is at fault rather than the account: exit code 2.
        public var isBadInput: Bool { self == .roster }
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// The kind's code, as reports show it.
    public var type: String { kind.code }

    public var description: String { "\(kind.code): \(message)" }

    enum CodingKeys: String, CodingKey { case type, message }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = Kind(code: try container.decode(String.self, forKey: .type))
        message = try container.decode(String.self, forKey: .message)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.code, forKey: .type)
        try container.encode(message, forKey: .message)
    }
}
