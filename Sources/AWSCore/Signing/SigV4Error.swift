/// Why a SigV4 `Authorization` header (or presigned query) cannot be used. The wording follows
/// AWS's own messages; it never contains a secret key or session token.
public struct SigV4Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem, named like the AWS error code a service would return.
    public enum Code: String, Sendable, Equatable {
        /// A required part is missing (`Credential`, `SignedHeaders`, `Signature`, a date).
        case incompleteSignature = "IncompleteSignature"
        /// A part is there but unusable (bad credential scope, unsupported algorithm, bad date).
        case authorizationHeaderMalformed = "AuthorizationHeaderMalformed"
        /// The request carries no SigV4 authentication at all.
        case missingAuthenticationToken = "MissingAuthenticationToken"
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
