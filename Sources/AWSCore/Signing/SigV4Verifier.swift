import Foundation

/// What `SigV4Verifier.verify` found. Descriptions follow AWS's messages and never contain a
/// secret key or session token (a signed `x-amz-security-token` value is shown as `<redacted>`).
public enum SigV4VerificationResult: Sendable, Equatable, CustomStringConvertible {
    case valid
    /// The signature does not match: the canonical request and string to sign the server computed
    /// (the client can compare them with its own).
    case signatureMismatch(canonicalRequest: String, stringToSign: String)
    /// The request's date is more than `maxClockSkew` seconds away from the server's clock.
    case requestTimeTooSkewed(requestDate: Date, now: Date, maxClockSkew: TimeInterval)
    /// A presigned request whose `X-Amz-Expires` has passed.
    case expired(expiredAt: Date, now: Date)
    /// `x-amz-content-sha256` does not match the body received.
    case contentSHA256Mismatch(provided: String, computed: String)
    /// The credential scope names another service than the one called (e.g. `s3` for ECR).
    case wrongService(expected: [String], found: String)
    /// The request's authentication cannot be read at all.
    case malformed(SigV4Error)

    public var isValid: Bool { self == .valid }

    public var description: String {
        switch self {
        case .valid:
            return "valid signature"
        case .signatureMismatch(let canonicalRequest, let stringToSign):
            return "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"
                + "The Canonical String for this request should have been\n'\(canonicalRequest)'\n\n"
                + "The String-to-Sign should have been\n'\(stringToSign)'\n"
        case .requestTimeTooSkewed(let requestDate, let now, let skew):
            let minutes = Int(skew / 60)
            if requestDate < now {
                return "Signature expired: \(SigV4Date.amzDate(requestDate)) is now earlier than "
                    + "\(SigV4Date.amzDate(now.addingTimeInterval(-skew))) (\(SigV4Date.amzDate(now)) - \(minutes) min.)"
            }
            return "Signature not yet current: \(SigV4Date.amzDate(requestDate)) is still later than "
                + "\(SigV4Date.amzDate(now.addingTimeInterval(skew))) (\(SigV4Date.amzDate(now)) + \(minutes) min.)"
        case .expired(let expiredAt, let now):
            return "Request has expired: it expired at \(SigV4Date.amzDate(expiredAt)), now is \(SigV4Date.amzDate(now))."
        case .contentSHA256Mismatch(let provided, let computed):
            return "The provided 'x-amz-content-sha256' header does not match what was computed. "
                + "Client computed: \(provided), server computed: \(computed)"
        case .wrongService(let expected, _):
            // AWS names the service it expected, not the one found.
            return "Credential should be scoped to correct service: '\(expected.joined(separator: "' or '"))'. "
        case .malformed(let error):
            return error.message
        }
    }
}

/// Checks SigV4-signed requests the way an AWS endpoint does: it checks the credential scope's service,
/// rebuilds the canonical request from the headers the client signed, and compares the signature (64
/// lowercase hex digits, exactly) in constant time.
///
/// Header names are matched without regard to case. Both the `Authorization` header and presigned
/// query strings (`X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…`, with
/// `X-Amz-Expires` honoured) are accepted.
public struct SigV4Verifier: Sendable {
    /// The services a credential scope may name (ECR: `ecr`, STS: `sts`); `nil` accepts any (test vectors).
    public var services: Set<String>?
    /// Path handling (`normalizePath`, `doubleURIEncode`) and, for presigned requests, the payload
    /// value (`signedBodyValue`, e.g. `UNSIGNED-PAYLOAD`). The defaults fit every service but S3.
    public var options: SigV4Options

    /// - Parameter services: the signing names the endpoint answers for; a request scoped to another is refused.
    public init(services: Set<String>?, options: SigV4Options = .init()) {
        self.services = services
        self.options = options
    }

    /// The session token the request carries: its `X-Amz-Security-Token` header, or for a presigned
    /// request the query parameter of that name.
    public func sessionToken(of request: SignableRequest) -> String? {
        if let header = request.headerValue(named: "X-Amz-Security-Token") { return header }
        guard request.headerValues(named: "Authorization").isEmpty else { return nil }
        return SigV4.queryParameters(request.query).first { String(decoding: $0.name, as: UTF8.self) == "X-Amz-Security-Token" }
            .map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// The request's SigV4 authorization (from its `Authorization` header or presigned query),
    /// so that a server can look up the secret of `accessKeyId` before calling `verify`.
    public func authorization(of request: SignableRequest) throws -> SigV4Authorization {
        let headers = request.headerValues(named: "Authorization")
        if headers.count > 1 {
            throw SigV4Error(code: .authorizationHeaderMalformed, message: "The request has more than one Authorization header.")
        }
        if let header = headers.first {
            return try SigV4Authorization.parse(header)
        }
        if let presigned = try Presigned(query: request.query) {
            return presigned.authorization
        }
        throw SigV4Error(code: .missingAuthenticationToken, message: "Missing Authentication Token")
    }

    /// Verifies the request's signature with `secretAccessKey`, against the server clock `now`.
    public func verify(
        _ request: SignableRequest, secretAccessKey: String, now: Date, maxClockSkew: TimeInterval = 900
    ) -> SigV4VerificationResult {
        do {
            if request.headerValues(named: "Authorization").isEmpty, let presigned = try Presigned(query: request.query) {
                if let wrong = wrongService(presigned.authorization) { return wrong }
                return verifyPresigned(request, presigned: presigned, secretAccessKey: secretAccessKey, now: now, maxClockSkew: maxClockSkew)
            }
            let authorization = try self.authorization(of: request)
            if let wrong = wrongService(authorization) { return wrong }
            let (amzDate, requestDate) = try requestDate(of: request, authorization: authorization)
            if abs(requestDate.timeIntervalSince(now)) > maxClockSkew {
                return .requestTimeTooSkewed(requestDate: requestDate, now: now, maxClockSkew: maxClockSkew)
            }
            let payloadHash: String
            if let provided = request.headerValue(named: "x-amz-content-sha256") {
                let computed = SigV4.hexSHA256(request.body)
                if Self.isHexSHA256(provided), provided.lowercased() != computed {
                    return .contentSHA256Mismatch(provided: provided, computed: computed)
                }
                payloadHash = provided
            } else {
                payloadHash = options.signedBodyValue ?? SigV4.hexSHA256(request.body)
            }
            return check(
                request, authorization: authorization, amzDate: amzDate,
                canonicalQuery: SigV4.canonicalQuery(SigV4.queryParameters(request.query)),
                payloadHash: payloadHash, secretAccessKey: secretAccessKey
            )
        } catch let error as SigV4Error {
            return .malformed(error)
        } catch {
            return .malformed(SigV4Error(code: .incompleteSignature, message: "\(error)"))
        }
    }

    private func wrongService(_ authorization: SigV4Authorization) -> SigV4VerificationResult? {
        guard let services, !services.contains(authorization.service) else { return nil }
        return .wrongService(expected: services.sorted(), found: authorization.service)
    }

    // MARK: Header authentication

    private func requestDate(of request: SignableRequest, authorization: SigV4Authorization) throws -> (String, Date) {
        let date: Date
        let amzDate: String
        if let text = request.headerValue(named: "X-Amz-Date") {
            guard let parsed = SigV4Date.parseAmzDate(text.trimmingCharacters(in: .whitespaces)) else {
                throw SigV4Error(
                    code: .incompleteSignature,
                    message: "Date must be in ISO-8601 'basic format'. Got '\(text)'. See http://en.wikipedia.org/wiki/ISO_8601"
                )
            }
            date = parsed
            amzDate = text.trimmingCharacters(in: .whitespaces)
        } else if let text = request.headerValue(named: "Date") {
            guard let parsed = SigV4Date.parseHTTPDate(text.trimmingCharacters(in: .whitespaces)) else {
                throw SigV4Error(
                    code: .incompleteSignature,
                    message: "Date header must be an RFC 7231 date such as 'Sun, 30 Aug 2015 12:36:00 GMT'. Got '\(text)'."
                )
            }
            date = parsed
            amzDate = SigV4Date.amzDate(parsed)
        } else {
            throw SigV4Error(
                code: .incompleteSignature,
                message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
            )
        }
        let shortDate = String(amzDate.prefix(8))
        guard authorization.date == shortDate else {
            throw SigV4Error(
                code: .authorizationHeaderMalformed,
                message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(authorization.date)' != '\(shortDate)', from '\(amzDate)'."
            )
        }
        guard authorization.signedHeaders.contains("host") || authorization.signedHeaders.contains(":authority") else {
            throw SigV4Error(
                code: .authorizationHeaderMalformed,
                message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
            )
        }
        return (amzDate, date)
    }

    private static func isHexSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }

    private func check(
        _ request: SignableRequest, authorization: SigV4Authorization, amzDate: String,
        canonicalQuery: String, payloadHash: String, secretAccessKey: String
    ) -> SigV4VerificationResult {
        let canonical = SigV4.canonicalRequest(
            method: request.method,
            path: SigV4.canonicalPath(request.path, options: options),
            query: canonicalQuery,
            headers: SigV4.canonicalHeaders(request.headers, signedNames: authorization.signedHeaders),
            signedHeaders: authorization.signedHeaders,
            payloadHash: payloadHash
        )
        let stringToSign = SigV4.stringToSign(amzDate: amzDate, scope: authorization.credentialScope, canonicalRequest: canonical)
        let key = SigV4.signingKey(
            secret: secretAccessKey, shortDate: authorization.date, region: authorization.region, service: authorization.service
        )
        let expected = SigV4.signature(stringToSign: stringToSign, key: key)
        // Exactly as computed: lowercase hex. `ABCD…` is not the same signature.
        if SigV4.constantTimeEquals(expected, authorization.signature) {
            return .valid
        }
        return .signatureMismatch(canonicalRequest: SigV4.redactingSessionToken(canonical), stringToSign: stringToSign)
    }

    // MARK: Presigned (query) authentication

    struct Presigned {
        var authorization: SigV4Authorization
        var amzDate: String
        var date: Date
        var expires: Int

        /// nil when the query carries no `X-Amz-Algorithm`/`X-Amz-Signature` at all.
        init?(query: String) throws {
            var values = [String: String]()
            for parameter in SigV4.queryParameters(query) {
                values[String(decoding: parameter.name, as: UTF8.self)] = String(decoding: parameter.value, as: UTF8.self)
            }
            guard values["X-Amz-Algorithm"] != nil || values["X-Amz-Signature"] != nil else { return nil }
            let required = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"]
            guard required.allSatisfy({ !(values[$0] ?? "").isEmpty }),
                  let algorithm = values["X-Amz-Algorithm"], let credential = values["X-Amz-Credential"],
                  let signature = values["X-Amz-Signature"], let amzDate = values["X-Amz-Date"],
                  let signedHeaders = values["X-Amz-SignedHeaders"], let expiresText = values["X-Amz-Expires"]
            else {
                throw SigV4Error(
                    code: .incompleteSignature,
                    message: "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                        + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
                )
            }
            guard algorithm == SigV4.algorithm else {
                throw SigV4Error(
                    code: .authorizationHeaderMalformed,
                    message: "X-Amz-Algorithm only supports \"\(SigV4.algorithm)\", got '\(algorithm)'."
                )
            }
            guard let date = SigV4Date.parseAmzDate(amzDate) else {
                throw SigV4Error(
                    code: .authorizationHeaderMalformed,
                    message: "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", got '\(amzDate)'."
                )
            }
            guard let expires = Int(expiresText), expires >= 0, expires <= 604_800 else {
                throw SigV4Error(
                    code: .authorizationHeaderMalformed,
                    message: "X-Amz-Expires must be a number of seconds between 0 and 604800 (a week), got '\(expiresText)'."
                )
            }
            var authorization = try SigV4Authorization.parseCredential(credential)
            guard authorization.date == String(amzDate.prefix(8)) else {
                throw SigV4Error(
                    code: .authorizationHeaderMalformed,
                    message: "Date in Credential scope does not match YYYYMMDD from X-Amz-Date: "
                        + "'\(authorization.date)' != '\(amzDate.prefix(8))', from '\(amzDate)'."
                )
            }
            authorization.signedHeaders = signedHeaders.split(separator: ";").map { $0.lowercased() }
            guard authorization.signedHeaders.contains("host") || authorization.signedHeaders.contains(":authority") else {
                throw SigV4Error(
                    code: .authorizationHeaderMalformed,
                    message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
                )
            }
            authorization.signature = signature
            self.authorization = authorization
            self.amzDate = amzDate
            self.date = date
            self.expires = expires
        }
    }

    private func verifyPresigned(
        _ request: SignableRequest, presigned: Presigned, secretAccessKey: String, now: Date, maxClockSkew: TimeInterval
    ) -> SigV4VerificationResult {
        if presigned.date.timeIntervalSince(now) > maxClockSkew {
            return .requestTimeTooSkewed(requestDate: presigned.date, now: now, maxClockSkew: maxClockSkew)
        }
        let expiresAt = presigned.date.addingTimeInterval(TimeInterval(presigned.expires))
        if now > expiresAt {
            return .expired(expiredAt: expiresAt, now: now)
        }
        let parameters = SigV4.queryParameters(request.query).filter {
            String(decoding: $0.name, as: UTF8.self) != "X-Amz-Signature"
        }
        let payloadHash = options.signedBodyValue
            ?? request.headerValue(named: "x-amz-content-sha256")
            ?? SigV4.hexSHA256(request.body)
        return check(
            request, authorization: presigned.authorization, amzDate: presigned.amzDate,
            canonicalQuery: SigV4.canonicalQuery(parameters), payloadHash: payloadHash, secretAccessKey: secretAccessKey
        )
    }
}
