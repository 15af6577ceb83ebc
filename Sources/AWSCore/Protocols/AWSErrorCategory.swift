/// What kind of failure an `AWSServiceError` is, for deciding what to tell a user.
public enum AWSErrorCategory: String, Sendable, Equatable, CaseIterable {
    /// The caller is known but not allowed: an IAM policy lacks the action (`AccessDeniedException`).
    case accessDenied
    /// The credentials or the signature were refused: a wrong secret, an unknown or expired key, a clock
    /// off by more than 15 minutes (`InvalidSignatureException`, `SignatureDoesNotMatch`,
    /// `UnrecognizedClientException`, `InvalidClientTokenId`, `ExpiredTokenException`, …).
    case authentication
    /// Too many requests (`ThrottlingException`, HTTP 429).
    case throttling
    /// The service failed (HTTP 5xx, `InternalFailure`, `ServiceUnavailable`).
    case server
    /// The answer could not be read as the operation's output (empty, not JSON/XML, a member missing,
    /// endless paging): nothing it says can be trusted.
    case invalidResponse
    /// Anything else the service refused about the request (validation, not found, limits).
    case client
}

extension AWSServiceError {
    /// Codes of refused credentials or signatures, across ECR (JSON) and STS/IAM (query) services.
    public static let authenticationCodes: Set<String> = [
        "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature", "IncompleteSignatureException",
        "UnrecognizedClientException", "InvalidClientTokenId", "InvalidAccessKeyId", "AuthFailure",
        "ExpiredTokenException", "ExpiredToken", "RequestExpired", "InvalidToken", "TokenRefreshRequired",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "RequestTimeTooSkewed",
        "InvalidSecurity", "NotAuthorized",
    ]
    /// Codes of a known caller lacking a permission.
    public static let accessDeniedCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException",
    ]
    /// The kind of failure, from the code first and the HTTP status second.
    public var category: AWSErrorCategory {
        if Self.authenticationCodes.contains(code) { return .authentication }
        if Self.accessDeniedCodes.contains(code) { return .accessDenied }
        if isThrottling { return .throttling }
        // A "failure" that came with a 2xx status is an answer LabCheck could not read.
        if (200..<300).contains(httpStatus) || code == Self.invalidResponseCode || code == "PaginationLoop" { return .invalidResponse }
        if httpStatus >= 500 || Self.transientCodes.contains(code) || code == "InternalFailure" { return .server }
        if httpStatus == 403 && code == "HTTP403" { return .accessDenied }
        return .client
    }
}
