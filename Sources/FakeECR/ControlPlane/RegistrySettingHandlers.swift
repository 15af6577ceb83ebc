import ECRWire
import Foundation

/// PutRegistryPolicy, GetRegistryPolicy, DeleteRegistryPolicy, PutReplicationConfiguration and
/// DescribeImageReplicationStatus:
/// the registry-level settings kept in `RegistrySettings` (DescribeRegistry shows the replication).
struct RegistrySettingHandlers: Sendable {
    let store: RegistryStore

    /// The actions a registry policy of scope V1 may grant (ECR's registry permissions, before V2
    /// opened every ECR action).
    static let scopeV1Actions = ["ecr:ReplicateImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]

    func putRegistryPolicy(_ request: PutRegistryPolicyRequest, _ context: ECRRequestContext) async throws -> PutRegistryPolicyResponse {
        let key = try await context.registry(nil)
        let text = request.policyText
        guard ECRConstraints.policyText.allowsLength(text.count) else { throw ECRError.validation(nil, "policyText", ECRConstraints.policyText.lengthAtMost) }
        return try store.update(key) { state in
            guard let actions = PolicyTextValidation.actions(of: text) else { throw Self.invalidPolicy() }
            let scope = state.settings.value(of: .registryPolicyScope)
            for action in actions {
                let allowed = scope == "V1" ? Self.scopeV1Actions.contains { $0.caseInsensitiveCompare(action) == .orderedSame } : action.lowercased().hasPrefix("ecr:")
                guard allowed else { throw Self.invalidPolicy() }
            }
            state.updateSettings { $0.registryPolicyText = text }
            return PutRegistryPolicyResponse(registryId: key.accountId, policyText: text)
        }
    }

    func getRegistryPolicy(_ request: GetRegistryPolicyRequest, _ context: ECRRequestContext) async throws -> GetRegistryPolicyResponse {
        let key = try await context.registry(nil)
        let text = try store.read(key) { state in
            guard let text = state.settings.registryPolicyText else { throw Self.policyNotFound(key) }
            return text
        }
        return GetRegistryPolicyResponse(registryId: key.accountId, policyText: text)
    }

    func deleteRegistryPolicy(_ request: DeleteRegistryPolicyRequest, _ context: ECRRequestContext) async throws -> DeleteRegistryPolicyResponse {
        let key = try await context.registry(nil)
        let text = try store.update(key) { state in
            guard let text = state.settings.registryPolicyText else { throw Self.policyNotFound(key) }
            state.updateSettings { $0.registryPolicyText = nil }
            return text
        }
        return DeleteRegistryPolicyResponse(registryId: key.accountId, policyText: text)
    }

    func putReplicationConfiguration(
        _ request: PutReplicationConfigurationRequest, _ context: ECRRequestContext
    ) async throws -> PutReplicationConfigurationResponse {
        let key = try await context.registry(nil)
        let configuration = request.replicationConfiguration
        try Self.validate(configuration, source: key)
        try store.update(key) { state in
            state.updateSettings { $0.replicationConfiguration = configuration }
        }
        return PutReplicationConfigurationResponse(replicationConfiguration: configuration)
    }

    /// The replication status of one image at each destination its repository's rules name
    /// (`RegistryStore.replicationStatuses`); ImageNotFoundException for an image that is not there.
    func describeImageReplicationStatus(
        _ request: DescribeImageReplicationStatusRequest, _ context: ECRRequestContext
    ) async throws -> DescribeImageReplicationStatusResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        let id = request.imageId
        if let digest = id.imageDigest, !ECRValidation.isDigest(digest) {
            throw ECRError.invalidParameter("imageId.imageDigest", "'must satisfy regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+''")
        }
        let digest = try store.read(key) { state -> String in
            let record = try state.existingRepository(name, in: key)
            guard let index = ImageHandlers.find(id, in: record) else { throw ECRError.imageNotFound(id, name, key.accountId) }
            return record.images[index].digest
        }
        let statuses = try store.replicationStatuses(of: digest, in: name, from: key)
        return DescribeImageReplicationStatusResponse(
            repositoryName: name, imageId: ImageIdentifier(imageDigest: digest, imageTag: id.imageTag), replicationStatuses: statuses)
    }

    /// The model's bounds and patterns, and a destination other than the registry itself.
    static func validate(_ configuration: ReplicationConfiguration, source: RegistryKey) throws {
        let field = "replicationConfiguration.rules"
        try ECRValidation.length(configuration.rules.count, ECRConstraints.replicationConfiguration_rules, field: field)
        for (r, rule) in configuration.rules.enumerated() {
            let path = "\(field).\(r + 1)"
            try ECRValidation.length(rule.destinations.count, ECRConstraints.destinations, field: path + ".destinations")
            for (d, destination) in rule.destinations.enumerated() {
                let at = "\(path).destinations.\(d + 1)"
                guard ECRConstraints.region.accepts(destination.region) else {
                    throw ECRError.invalidParameter(at + ".region", "'must satisfy regular expression '\(ECRConstraints.region.pattern ?? "")''")
                }
                try ECRValidation.registryId(destination.registryId)
                if destination.region == source.region, destination.registryId == source.accountId {
                    // The wording moto's tests give for ECR's answer (ECR documents none).
                    throw ECRError.invalidParameter("replicationConfiguration", "'Replication destination cannot be the same as the source registry'")
                }
            }
            if let filters = rule.repositoryFilters {
                try ECRValidation.length(filters.count, ECRConstraints.replicationRule_repositoryFilters, field: path + ".repositoryFilters")
                for (f, filter) in filters.enumerated() {
                    let at = "\(path).repositoryFilters.\(f + 1)"
                    guard filter.filterType == .prefixMatch else {
                        throw ECRError.invalidParameter(at + ".filterType", "'Member must satisfy enum value set: [\(RepositoryFilterType.knownValuesList)]'")
                    }
                    guard ECRConstraints.repositoryFilter_filter.accepts(filter.filter) else {
                        throw ECRError.invalidParameter(at + ".filter", "'must satisfy regular expression '\(ECRConstraints.repositoryFilter_filter.pattern ?? "")''")
                    }
                }
            }
        }
    }

    static func invalidPolicy() -> ECRError { ECRError.invalidParameter("PolicyText", "'Invalid registry policy provided'") }

    static func policyNotFound(_ key: RegistryKey) -> ECRError {
        ECRError(.registryPolicyNotFound, "Registry policy does not exist in the registry with id '\(key.accountId)'")
    }
}
