import Foundation

extension SigV4Signer {
    /// Presigned (query-string) signing: the request with `X-Amz-Algorithm`, `X-Amz-Credential`,
    /// `X-Amz-Date`, `X-Amz-SignedHeaders`, `X-Amz-Expires`, `X-Amz-Security-Token` (when there is a
    /// session token) and `X-Amz-Signature` appended to its query. Headers are left as they are
    /// (the caller adds `Host`); `expires` is in seconds (AWS allows 1...604800).
    public func presign(_ request: SignableRequest, date: Date, expires: Int = 3600, options: SigV4Options = .init()) -> SignableRequest {
        let products = presigningProducts(for: request, date: date, expires: expires, options: options)
        // The token goes in the query either way; `omitSessionTokenFromSignature` only keeps it out of the signature.
        var added = authParameters(products: products, expires: expires, includeToken: true)
        added.append(("X-Amz-Signature", products.signature))
        let encoded = added.map { SigV4.uriEncode($0.0) + "=" + SigV4.uriEncode($0.1) }.joined(separator: "&")
        var signed = request
        signed.query = request.query.isEmpty ? encoded : request.query + "&" + encoded
        return signed
    }

    /// All intermediate values of presigned (query-string) signing.
    public func presigningProducts(for request: SignableRequest, date: Date, expires: Int = 3600, options: SigV4Options = .init()) -> SigV4SigningProducts {
        let signedNames = SigV4.signableHeaderNames(request.headers)
        let draft = SigV4SigningProducts(
            canonicalRequest: "", stringToSign: "", signature: "",
            signedHeaders: signedNames, credentialScope: credentialScope(date: date), amzDate: SigV4Date.amzDate(date)
        )
        let parameters = SigV4.queryParameters(request.query)
            + authParameters(products: draft, expires: expires, includeToken: !options.omitSessionTokenFromSignature).map { (Array($0.0.utf8), Array($0.1.utf8)) }
        return compute(
            request: request,
            canonicalQuery: SigV4.canonicalQuery(parameters),
            signedNames: signedNames,
            date: date,
            options: options
        )
    }

    /// The signed `X-Amz-*` parameters, unencoded, in the order AWS SDKs write them.
    private func authParameters(products: SigV4SigningProducts, expires: Int, includeToken: Bool) -> [(String, String)] {
        var parameters: [(String, String)] = [
            ("X-Amz-Algorithm", SigV4.algorithm),
            ("X-Amz-Credential", credentials.accessKeyId + "/" + products.credentialScope),
            ("X-Amz-Date", products.amzDate),
            ("X-Amz-SignedHeaders", products.signedHeaders.joined(separator: ";")),
            ("X-Amz-Expires", String(expires)),
        ]
        if includeToken, let token = credentials.sessionToken {
            parameters.append(("X-Amz-Security-Token", token))
        }
        return parameters
    }
}
