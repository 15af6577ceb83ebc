import ECRWire
import Foundation

/// What a control-plane handler knows about the request beyond its body.
struct ECRRequestContext: Sendable {
    /// The caller's own registry: its account and the region of the signature.
    var callerRegistry: RegistryKey
    var requestId: String
    /// `http://host:port` of this server, as the client reached it.
    var proxyEndpoint: String
    var now: Date

    /// The registry a request names with `registryId` (the caller's when absent).
    func registry(_ registryId: String?) throws -> RegistryKey {
        try ECRValidation.registryId(registryId)
        guard let registryId else { return callerRegistry }
        return RegistryKey(accountId: registryId, region: callerRegistry.region)
    }

    /// The registry and repository a request names, both validated (registry id first).
    func repository(_ registryId: String?, _ name: String) throws -> (key: RegistryKey, name: String) {
        let key = try registry(registryId)
        try ECRValidation.repositoryName(name)
        return (key, name)
    }
}

extension Date {
    /// This date with whole milliseconds, as ECR's timestamps have.
    var wholeMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
