import ECRWire
import Foundation

/// What a control-plane handler knows about the request beyond its body. Handlers reach a
/// registry or repository only through `registry(_:)` and `repository(_:_:)`, which validate what
/// the request names and pass it through the access gate as the caller and the operation.
struct ECRRequestContext: Sendable {
    /// The caller's own registry: its account and the region of the signature.
    var callerRegistry: RegistryKey
    /// Who calls.
    var caller: AccessPrincipal
    /// The operation, as ECR names it in actions (`CreateRepository`).
    var operation: String
    var gate: AccessGate
    var requestId: String
    /// `http` or `https`: how this server is reached.
    var scheme: String
    /// `host:port` of this server, as the client reached it (its `Host`).
    var authority: String
    var now: Date
    /// The caller's address (`aws:SourceIp`).
    var sourceIp: String? = nil

    /// `http://host:port` of this server, as the client reached it (GetAuthorizationToken's
    /// `proxyEndpoint`): joined only when asked, since one operation of all asks.
    var proxyEndpoint: String { scheme + "://" + authority }

    /// Operations that name no repository or registry: authorised on `*` by identity policies only.
    static let resourceless: Set<ECROperation> = [.getAuthorizationToken, .describeRegistry]

    /// The registry a request names with `registryId` (the caller's when absent), validated only.
    func registryKey(_ registryId: String?) throws -> RegistryKey {
        try ECRValidation.registryId(registryId)
        guard let registryId else { return callerRegistry }
        return RegistryKey(accountId: registryId, region: callerRegistry.region)
    }

    /// The registry of a registry-level operation (`naming` the repository CreateRepository would make).
    func registry(_ registryId: String?, naming name: String? = nil) async throws -> RegistryKey {
        let key = try registryKey(registryId)
        do {
            try await gate.authorize(caller, operation, registry: key, naming: name, from: sourceIp)
        } catch {
            throw error.ecrError
        }
        return key
    }

    /// The registry and repository a request names, both validated (registry id first), that the caller may use.
    func repository(_ registryId: String?, _ name: String) async throws -> (key: RegistryKey, name: String) {
        let key = try registryKey(registryId)
        try ECRValidation.repositoryName(name)
        try await authorize(repository: name, in: key)
        return (key, name)
    }

    /// The access gate's decision on the repository `name` of `key`'s registry.
    func authorize(repository name: String, in key: RegistryKey) async throws {
        do {
            try await gate.authorize(caller, operation, repository: name, in: key, from: sourceIp)
        } catch {
            throw error.ecrError
        }
    }
}

extension Date {
    /// This date with whole milliseconds, as ECR's timestamps have.
    var wholeMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
