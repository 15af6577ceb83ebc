import Crypto
import Foundation

/// Registry passwords handed out by GetAuthorizationToken, and their check by the registry.
///
/// A password is `<payload>.<mac>`, both base64url without padding: the payload is
/// `<registry account>|<region>|<expiry epoch seconds>|<caller account>|<caller ARN>`, the mac its
/// HMAC-SHA256 under the server's key. The password names the registry it was issued for and
/// carries the identity of who asked for it: the registry's requests are that caller's, and pass
/// the access gate as the caller (a token for another account's registry opens nothing by itself).
/// It holds no `:`, so `base64("AWS:" + password)` splits unambiguously.
public struct RegistryPasswordCodec: Sendable {
    private let key: SymmetricKey

    public init(keyData: Data) { key = SymmetricKey(data: keyData) }

    /// A fresh random 32-byte key.
    public static func randomKeyData() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// What a valid password grants.
    public struct Grant: Sendable, Equatable {
        /// The registry's account.
        public var accountId: String
        public var region: String
        public var expiresAt: Date
        /// Who asked for the password.
        public var principal: AccessPrincipal
    }

    public func password(accountId: String, region: String, expiresAt: Date, principal: AccessPrincipal) -> String {
        let fields = [accountId, region, String(Int64(expiresAt.timeIntervalSince1970)), principal.accountId, principal.arn]
        let payload = Data(fields.joined(separator: "|").utf8)
        let mac = Data(HMAC<SHA256>.authenticationCode(for: payload, using: key))
        return Self.base64url(payload) + "." + Self.base64url(mac)
    }

    /// `base64("AWS:" + password)`: the `authorizationToken` of GetAuthorizationToken.
    public func authorizationToken(accountId: String, region: String, expiresAt: Date, principal: AccessPrincipal) -> String {
        Data(("AWS:" + password(accountId: accountId, region: region, expiresAt: expiresAt, principal: principal)).utf8).base64EncodedString()
    }

    /// The grant of a password, or nil when it is forged, malformed or expired at `now`.
    public func verify(password: String, now: Date = Date()) -> Grant? {
        let parts = password.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.unbase64url(parts[0]), let mac = Self.unbase64url(parts[1]) else { return nil }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key) else { return nil }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 5, let expiry = Int64(fields[2]) else { return nil }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expiry))
        guard expiresAt > now else { return nil }
        return Grant(
            accountId: String(fields[0]), region: String(fields[1]), expiresAt: expiresAt,
            principal: AccessPrincipal(accountId: String(fields[3]), arn: String(fields[4])))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
