import ECRWire
import Foundation

/// Put/Get/DeleteLifecyclePolicy and Set/Get/DeleteRepositoryPolicy.
struct PolicyHandlers: Sendable {
    let store: RegistryStore

    func putLifecyclePolicy(_ request: PutLifecyclePolicyRequest, _ context: ECRRequestContext) async throws -> PutLifecyclePolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        let text = request.lifecyclePolicyText
        guard ECRConstraints.lifecyclePolicyText.allowsLength(text.count) else {
            throw ECRError.validation(nil, "lifecyclePolicyText", ECRConstraints.lifecyclePolicyText.lengthBetween)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any], object["rules"] is [Any] else {
            throw ECRError.invalidParameter("LifecyclePolicyText", "'Lifecycle policy validation failure: the policy must be a JSON object with a \"rules\" array'")
        }
        let now = context.now.wholeMilliseconds
        try await store.update(key) { state in
            let found: Void? = state.updateRepository(name) { record in
                record.lifecyclePolicyText = text
                record.lifecyclePolicyUpdatedAt = now
            }
            guard found != nil else { throw ECRError.repositoryNotFound(name, key.accountId) }
        }
        return PutLifecyclePolicyResponse(registryId: key.accountId, repositoryName: name, lifecyclePolicyText: text)
    }

    func getLifecyclePolicy(_ request: GetLifecyclePolicyRequest, _ context: ECRRequestContext) async throws -> GetLifecyclePolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        return try await store.read(key) { state in
            guard let record = state.repositories[name] else { throw ECRError.repositoryNotFound(name, key.accountId) }
            guard let text = record.lifecyclePolicyText else { throw ECRError.lifecyclePolicyNotFound(name, key.accountId) }
            return GetLifecyclePolicyResponse(
                registryId: key.accountId, repositoryName: name, lifecyclePolicyText: text, lastEvaluatedAt: record.lifecyclePolicyUpdatedAt)
        }
    }

    func deleteLifecyclePolicy(_ request: DeleteLifecyclePolicyRequest, _ context: ECRRequestContext) async throws -> DeleteLifecyclePolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        return try await store.update(key) { state in
            guard let record = state.repositories[name] else { throw ECRError.repositoryNotFound(name, key.accountId) }
            guard let text = record.lifecyclePolicyText else { throw ECRError.lifecyclePolicyNotFound(name, key.accountId) }
            state.updateRepository(name) { record in
                record.lifecyclePolicyText = nil
                record.lifecyclePolicyUpdatedAt = nil
            }
            return DeleteLifecyclePolicyResponse(
                registryId: key.accountId, repositoryName: name, lifecyclePolicyText: text, lastEvaluatedAt: record.lifecyclePolicyUpdatedAt)
        }
    }

    func setRepositoryPolicy(_ request: SetRepositoryPolicyRequest, _ context: ECRRequestContext) async throws -> SetRepositoryPolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        let text = request.policyText
        guard ECRConstraints.policyText.allowsLength(text.count) else {
            throw ECRError.validation(nil, "policyText", ECRConstraints.policyText.lengthAtMost)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any], object["Statement"] != nil else {
            throw ECRError.invalidParameter("PolicyText", "'Invalid repository policy provided'")
        }
        try await store.update(key) { state in
            guard state.updateRepository(name, { $0.repositoryPolicyText = text }) != nil else {
                throw ECRError.repositoryNotFound(name, key.accountId)
            }
        }
        return SetRepositoryPolicyResponse(registryId: key.accountId, repositoryName: name, policyText: text)
    }

    func getRepositoryPolicy(_ request: GetRepositoryPolicyRequest, _ context: ECRRequestContext) async throws -> GetRepositoryPolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        return try await store.read(key) { state in
            guard let record = state.repositories[name] else { throw ECRError.repositoryNotFound(name, key.accountId) }
            guard let text = record.repositoryPolicyText else { throw ECRError.repositoryPolicyNotFound(name, key.accountId) }
            return GetRepositoryPolicyResponse(registryId: key.accountId, repositoryName: name, policyText: text)
        }
    }

    func deleteRepositoryPolicy(_ request: DeleteRepositoryPolicyRequest, _ context: ECRRequestContext) async throws -> DeleteRepositoryPolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        return try await store.update(key) { state in
            guard let record = state.repositories[name] else { throw ECRError.repositoryNotFound(name, key.accountId) }
            guard let text = record.repositoryPolicyText else { throw ECRError.repositoryPolicyNotFound(name, key.accountId) }
            state.updateRepository(name) { $0.repositoryPolicyText = nil }
            return DeleteRepositoryPolicyResponse(registryId: key.accountId, repositoryName: name, policyText: text)
        }
    }
}
