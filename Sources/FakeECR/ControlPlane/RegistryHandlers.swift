import ECRWire
import Foundation

/// DescribeRegistry and GetAuthorizationToken.
struct RegistryHandlers: Sendable {
    let store: RegistryStore
    let passwords: RegistryPasswordCodec
    /// How long a registry password lasts (ECR: 12 hours).
    static let tokenLifetime: TimeInterval = 12 * 3600

    func describeRegistry(_ request: DescribeRegistryRequest, _ context: ECRRequestContext) async throws -> DescribeRegistryResponse {
        let key = try await context.registry(nil)
        let configuration = try store.read(key) { $0.settings.replicationConfiguration }
        return DescribeRegistryResponse(registryId: key.accountId, replicationConfiguration: configuration ?? ReplicationConfiguration(rules: []))
    }

    /// A password for each registry named (the caller's by default). Naming another account's
    /// registry is no refusal here: the password carries the caller's identity, and what it may do
    /// there is the access gate's to decide on each `/v2/` request.
    func getAuthorizationToken(_ request: GetAuthorizationTokenRequest, _ context: ECRRequestContext) async throws -> GetAuthorizationTokenResponse {
        let expiresAt = Date(timeIntervalSince1970: (context.now.timeIntervalSince1970 + Self.tokenLifetime).rounded(.down))
        var accounts = [context.callerRegistry.accountId]
        if let ids = request.registryIds {
            try ECRValidation.length(ids.count, ECRConstraints.registryIds, field: "registryIds")
            for id in ids { try ECRValidation.registryId(id) }
            accounts = ids
        }
        let data = accounts.map { account in
            AuthorizationData(
                authorizationToken: passwords.authorizationToken(
                    accountId: account, region: context.callerRegistry.region, expiresAt: expiresAt, principal: context.caller),
                expiresAt: expiresAt, proxyEndpoint: context.proxyEndpoint)
        }
        return GetAuthorizationTokenResponse(authorizationData: data)
    }
}
