import Crypto
import Foundation

/// Everything a SigV4 signature is made of, for byte-for-byte tests and debugging.
/// `canonicalRequest` holds a signed session token as it is; `description` redacts it.
public struct SigV4SigningProducts: Sendable, Equatable, CustomStringConvertible {
    public var canonicalRequest: String
    public var stringToSign: String
    /// Lowercase hex HMAC-SHA256.
    public var signature: String
    /// Lowercased, sorted names of the signed headers.
    public var signedHeaders: [String]
    /// `20150830/us-east-1/service/aws4_request`.
    public var credentialScope: String
    /// `20150830T123600Z`.
    public var amzDate: String

    public var description: String {
        "SigV4SigningProducts(signature: \(signature), scope: \(credentialScope), signedHeaders: "
            + "\(signedHeaders.joined(separator: ";")), canonicalRequest: \(SigV4.redactingSessionToken(canonicalRequest)))"
    }
}

/// Signs requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`), in the `Authorization`
/// header (`sign`) or in the query string (`presign`).
///
/// The caller adds the `Host` header; the signer adds `X-Amz-Date`, `X-Amz-Security-Token` (when the
/// credentials have a session token), `x-amz-content-sha256` (when the options ask for it) and
/// `Authorization`, replacing any it finds.
public struct SigV4Signer: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let credentials: Credentials
    public let region: String
    public let service: String

    public init(credentials: Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    // MARK: Header signing

    /// The request with `X-Amz-Date`, `Authorization` and, as needed, `X-Amz-Security-Token` and
    /// `x-amz-content-sha256` set.
    public func sign(_ request: SignableRequest, date: Date, options: SigV4Options = .init()) -> SignableRequest {
        var prepared = prepareForHeaderSigning(request, date: date, options: options)
        let products = products(forPrepared: prepared, date: date, options: options)
        prepared.addHeader(name: "Authorization", value: authorizationHeader(products))
        return prepared
    }

    /// All intermediate values of header signing.
    public func signingProducts(for request: SignableRequest, date: Date, options: SigV4Options = .init()) -> SigV4SigningProducts {
        products(forPrepared: prepareForHeaderSigning(request, date: date, options: options), date: date, options: options)
    }

    public func canonicalRequest(for request: SignableRequest, date: Date, options: SigV4Options = .init()) -> String {
        signingProducts(for: request, date: date, options: options).canonicalRequest
    }

    public func stringToSign(for request: SignableRequest, date: Date, options: SigV4Options = .init()) -> String {
        signingProducts(for: request, date: date, options: options).stringToSign
    }

    public func signature(for request: SignableRequest, date: Date, options: SigV4Options = .init()) -> String {
        signingProducts(for: request, date: date, options: options).signature
    }

    /// The `Authorization` header value `sign` would add.
    public func authorizationHeader(for request: SignableRequest, date: Date, options: SigV4Options = .init()) -> String {
        authorizationHeader(signingProducts(for: request, date: date, options: options))
    }

    /// `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex`.
    public func authorizationHeader(_ products: SigV4SigningProducts) -> String {
        "\(SigV4.algorithm) Credential=\(credentials.accessKeyId)/\(products.credentialScope), "
            + "SignedHeaders=\(products.signedHeaders.joined(separator: ";")), Signature=\(products.signature)"
    }

    private func prepareForHeaderSigning(_ request: SignableRequest, date: Date, options: SigV4Options) -> SignableRequest {
        var prepared = request
        prepared.removeHeaders(named: "Authorization")
        if let token = credentials.sessionToken {
            prepared.setHeader(name: "X-Amz-Security-Token", value: token)
        }
        prepared.setHeader(name: "X-Amz-Date", value: SigV4Date.amzDate(date))
        if options.addContentSHA256Header {
            prepared.setHeader(name: "x-amz-content-sha256", value: payloadHash(request, options: options))
        }
        return prepared
    }

    private func products(forPrepared request: SignableRequest, date: Date, options: SigV4Options) -> SigV4SigningProducts {
        let excluded: Set<String> = options.omitSessionTokenFromSignature ? ["x-amz-security-token"] : []
        let signedNames = SigV4.signableHeaderNames(request.headers, excluding: excluded)
        return compute(
            request: request,
            canonicalQuery: SigV4.canonicalQuery(SigV4.queryParameters(request.query)),
            signedNames: signedNames,
            date: date,
            options: options
        )
    }

    // MARK: Shared

    func payloadHash(_ request: SignableRequest, options: SigV4Options) -> String {
        options.signedBodyValue ?? SigV4.hexSHA256(request.body)
    }

    func credentialScope(date: Date) -> String {
        SigV4.credentialScope(shortDate: SigV4Date.shortDate(date), region: region, service: service)
    }

    func compute(
        request: SignableRequest, canonicalQuery: String, signedNames: [String], date: Date, options: SigV4Options
    ) -> SigV4SigningProducts {
        let amzDate = SigV4Date.amzDate(date)
        let shortDate = SigV4Date.shortDate(date)
        let scope = SigV4.credentialScope(shortDate: shortDate, region: region, service: service)
        let canonical = SigV4.canonicalRequest(
            method: request.method,
            path: SigV4.canonicalPath(request.path, options: options),
            query: canonicalQuery,
            headers: SigV4.canonicalHeaders(request.headers, signedNames: signedNames),
            signedHeaders: signedNames,
            payloadHash: payloadHash(request, options: options)
        )
        let stringToSign = SigV4.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical)
        let key = SigV4.signingKey(secret: credentials.secretAccessKey, shortDate: shortDate, region: region, service: service)
        return SigV4SigningProducts(
            canonicalRequest: canonical,
            stringToSign: stringToSign,
            signature: SigV4.signature(stringToSign: stringToSign, key: key),
            signedHeaders: signedNames,
            credentialScope: scope,
            amzDate: amzDate
        )
    }

    // MARK: Descriptions (never the secret key or session token)

    public var description: String {
        "SigV4Signer(accessKeyId: \(credentials.accessKeyId), region: \(region), service: \(service))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyId": credentials.accessKeyId, "region": region, "service": service])
    }
}
