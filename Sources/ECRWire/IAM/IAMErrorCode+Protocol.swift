/// Error codes that IAM answers but its model does not list: those of the query protocol and of request
/// authentication (IAM's words are not ECR's: `AccessDenied`, `InvalidClientTokenId`, `SignatureDoesNotMatch`).
extension IAMErrorCode {
    /// The caller may not perform the action (e.g. `iam:SimulatePrincipalPolicy`); HTTP 403.
    public static let accessDenied = IAMErrorCode(rawValue: "AccessDenied")
    /// The access key id is unknown; HTTP 403.
    public static let invalidClientTokenId = IAMErrorCode(rawValue: "InvalidClientTokenId")
    /// The signature does not match; HTTP 403.
    public static let signatureDoesNotMatch = IAMErrorCode(rawValue: "SignatureDoesNotMatch")
    /// The session token has expired; HTTP 403.
    public static let expiredToken = IAMErrorCode(rawValue: "ExpiredToken")
    /// The `Action` names no operation of this version; HTTP 400.
    public static let invalidAction = IAMErrorCode(rawValue: "InvalidAction")
    /// A parameter is missing or does not satisfy its constraint; HTTP 400.
    public static let validationError = IAMErrorCode(rawValue: "ValidationError")
    /// Too many requests; HTTP 400.
    public static let throttling = IAMErrorCode(rawValue: "Throttling")
}
