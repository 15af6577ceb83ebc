/// How a SigV4 signature is computed. The defaults fit every AWS service but S3.
public struct SigV4Options: Sendable, Equatable {
    /// Remove `.`/`..` segments and repeated slashes from the path before signing (not for S3).
    public var normalizePath: Bool
    /// URI-encode the wire path once more (every service but S3): `%` becomes `%25`.
    /// When false, the path is decoded and encoded once per segment, as S3 expects.
    public var doubleURIEncode: Bool
    /// Add an `x-amz-content-sha256` header holding the payload hash (S3-style services).
    public var addContentSHA256Header: Bool
    /// Add `X-Amz-Security-Token` after signing instead of signing it (some services want that).
    public var omitSessionTokenFromSignature: Bool
    /// Use this value instead of the hex SHA-256 of the body as the payload hash, e.g. `UNSIGNED-PAYLOAD`.
    public var signedBodyValue: String?

    public init(
        normalizePath: Bool = true,
        doubleURIEncode: Bool = true,
        addContentSHA256Header: Bool = false,
        omitSessionTokenFromSignature: Bool = false,
        signedBodyValue: String? = nil
    ) {
        self.normalizePath = normalizePath
        self.doubleURIEncode = doubleURIEncode
        self.addContentSHA256Header = addContentSHA256Header
        self.omitSessionTokenFromSignature = omitSessionTokenFromSignature
        self.signedBodyValue = signedBodyValue
    }

    /// The options S3-style services expect: no path normalisation, single encoding,
    /// an `x-amz-content-sha256` header.
    public static let s3 = SigV4Options(normalizePath: false, doubleURIEncode: false, addContentSHA256Header: true)
}
