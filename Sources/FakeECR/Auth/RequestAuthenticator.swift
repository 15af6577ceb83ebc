import AWSCore
import ECRWire
import Foundation
import Hummingbird

/// How the fake checks requests.
public enum FakeECRAuthMode: String, Sendable, CaseIterable {
    /// Any well-formed request is accepted; the access key (if any) picks the account.
    case none
    /// Every request must be SigV4-signed with a known key and its secret.
    case sigv4
}

/// The caller of a request once authenticated: its account, the region it signed for, who it is.
struct Caller: Sendable {
    var principal: AccountDirectory.Principal
    var region: String
    var accessKeyId: String?
    var registry: RegistryKey { RegistryKey(accountId: principal.accountId, region: region) }
}

/// Why a request was refused before reaching an operation; each service words it its own way.
struct AuthenticationFailure: Error, Sendable {
    enum Kind: Sendable { case missing, malformed, unknownKey, badSignature, expiredToken }
    var kind: Kind
    var message: String

    var ecrError: ECRError {
        switch kind {
        case .missing: return ECRError(.missingAuthenticationToken, "Missing Authentication Token")
        case .malformed: return ECRError(.incompleteSignature, message)
        case .unknownKey: return ECRError(.unrecognizedClient, "The security token included in the request is invalid.")
        case .badSignature: return ECRError(.invalidSignature, message)
        case .expiredToken: return ECRError(.expiredToken, "The security token included in the request is expired")
        }
    }

    var stsError: STSError {
        switch kind {
        case .missing: return STSError(code: "MissingAuthenticationToken", status: 403, message: "Request is missing Authentication Token")
        case .malformed: return STSError(code: "IncompleteSignature", status: 400, message: message)
        case .unknownKey: return STSError(code: "InvalidClientTokenId", status: 403, message: "The security token included in the request is invalid.")
        case .badSignature: return STSError(code: "SignatureDoesNotMatch", status: 403, message: message)
        case .expiredToken: return STSError(code: "ExpiredToken", status: 400, message: "The security token included in the request is expired")
        }
    }
}

/// Resolves (and with `.sigv4`, verifies) the caller of a request, signed in its `Authorization` header
/// or presigned in its query string.
struct RequestAuthenticator: Sendable {
    let mode: FakeECRAuthMode
    let directory: AccountDirectory
    let defaultRegion: String

    /// The signing name a request must be scoped to: JSON calls carry `X-Amz-Target` (CloudTrail's or
    /// ECR's), the rest is STS (as `FakeECRResponder` routes them).
    static func expectedService(of request: Request) -> String {
        guard let target = request.headers.value(HeaderNames.amzTarget) else { return "sts" }
        return target.hasPrefix(CloudTrailService.targetPrefix + ".") ? CloudTrailService.signingName : "ecr"
    }

    /// `service` overrides the signing name `expectedService(of:)` derives (IAM's query calls are signed for `iam`).
    func authenticate(_ request: Request, body: ByteBuffer, now: Date, service: String? = nil) async throws(AuthenticationFailure) -> Caller {
        let verifier = SigV4Verifier(services: [service ?? Self.expectedService(of: request)])
        guard mode == .sigv4 else {
            // Only the access key and region are read. A single Authorization header is parsed where it
            // is, as `verifier.authorization(of:)` would parse it; the rest (none, several, presigned)
            // goes the verifier's way, without the body (it matters to the signature only).
            let parsed: SigV4Authorization?
            let values = request.headers[values: .authorization]
            if values.count == 1 {
                parsed = try? SigV4Authorization.parse(values[0])
            } else {
                parsed = try? verifier.authorization(of: Self.signable(request, body: ByteBuffer()))
            }
            let region = parsed?.region ?? defaultRegion
            if let parsed, let principal = await directory.principal(accessKeyId: parsed.accessKeyId) {
                return Caller(principal: principal, region: region, accessKeyId: parsed.accessKeyId)
            }
            return Caller(principal: await directory.defaultPrincipal(accessKeyId: parsed?.accessKeyId), region: region, accessKeyId: parsed?.accessKeyId)
        }
        let signable = Self.signable(request, body: body)
        let authorization: SigV4Authorization
        do {
            authorization = try verifier.authorization(of: signable)
        } catch let error as SigV4Error where error.code == .missingAuthenticationToken && signable.headerValues(named: "Authorization").isEmpty {
            throw AuthenticationFailure(kind: .missing, message: "")
        } catch {
            throw AuthenticationFailure(kind: .malformed, message: (error as? SigV4Error)?.message ?? "Authorization header is malformed")
        }
        guard let principal = await directory.principal(accessKeyId: authorization.accessKeyId) else {
            throw AuthenticationFailure(kind: .unknownKey, message: "")
        }
        if let expected = principal.sessionToken {
            guard verifier.sessionToken(of: signable) == expected else {
                throw AuthenticationFailure(kind: .unknownKey, message: "")
            }
            if let expiration = principal.expiration, expiration <= now { throw AuthenticationFailure(kind: .expiredToken, message: "") }
        }
        if let secret = principal.secretAccessKey {
            let result = verifier.verify(signable, secretAccessKey: secret, now: now)
            switch result {
            case .valid: break
            case .malformed(let error): throw AuthenticationFailure(kind: .malformed, message: error.message)
            default: throw AuthenticationFailure(kind: .badSignature, message: result.description)
            }
        }
        return Caller(principal: principal, region: authorization.region, accessKeyId: authorization.accessKeyId)
    }

    /// The request as SigV4 sees it (the Host header travels as the authority in HTTPTypes).
    static func signable(_ request: Request, body: ByteBuffer) -> SignableRequest {
        var headers: [HTTPHeaderField] = []
        if let authority = request.head.authority { headers.append(HTTPHeaderField(name: "host", value: authority)) }
        for field in request.headers { headers.append(HTTPHeaderField(name: field.name.rawName, value: field.value)) }
        return SignableRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers,
            body: Data(body.readableBytesView))
    }
}
