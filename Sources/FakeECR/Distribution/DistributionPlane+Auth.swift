import Foundation
import Hummingbird

/// HTTP Basic auth of the data plane: `AWS:<password>` with a password of GetAuthorizationToken.
extension DistributionPlane {
    /// The registry (account and region) the request's `AWS:<password>` Basic credentials were
    /// issued for, and the caller they were issued to.
    func authenticate(_ request: Request) throws(DistributionError) -> (RegistryKey, AccessPrincipal) {
        let host = RequestHost(of: request, fallback: fallbackHost)
        let challenge = #"Basic realm="https://\#(host.authority)/",service="ecr.amazonaws.com""#
        guard let header = request.headers[.authorization] else { throw .unauthorized(challenge: challenge) }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else {
            throw .unauthorized(challenge: challenge, "Not Authorized: expected HTTP Basic credentials AWS:<password from aws ecr get-login-password>")
        }
        let user = text[..<colon]
        let password = String(text[text.index(after: colon)...])
        guard user == "AWS" else {
            throw .unauthorized(challenge: challenge, "Not Authorized: the user name must be 'AWS'")
        }
        if let grant = passwords.verify(password: password) {
            let key = RegistryKey(accountId: grant.accountId, region: grant.region)
            try Self.checkHost(host, grants: key)
            return (key, grant.principal)
        }
        if passwords.verify(password: password, now: .distantPast) != nil { throw .expiredToken() }
        throw .unauthorized(challenge: challenge)
    }

    /// A request to `<account>.dkr.ecr.<region>.amazonaws.com` must carry that registry's token;
    /// so must one to any name that looks like a registry host (`….dkr.ecr.…`) but is not one.
    static func checkHost(_ host: RequestHost, grants key: RegistryKey) throws(DistributionError) {
        let looksLikeECR = UpstreamRegistryResolver.isPrivateECR(host.name) || host.name.contains(".dkr.ecr.")
        guard looksLikeECR, host.name != key.registryHost else { return }
        throw .denied("Your authorization token was issued for the registry '\(key.registryHost)' and does not grant access to '\(host.name)'")
    }
}
