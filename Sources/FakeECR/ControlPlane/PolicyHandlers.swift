import ECRWire
import Foundation

/// Put/Get/DeleteLifecyclePolicy and Set/Get/DeleteRepositoryPolicy.
struct PolicyHandlers: Sendable {
    let store: RegistryStore

    /// One of a repository's two policies: where the record keeps it and the error when it has none.
    struct Policy {
        var text: WritableKeyPath<RepositoryRecord, String?>
        var notFound: (_ name: String, _ registryId: String) -> ECRError

        static var lifecycle: Policy { Policy(text: \.lifecyclePolicyText, notFound: ECRError.lifecyclePolicyNotFound) }
        static var repository: Policy { Policy(text: \.repositoryPolicyText, notFound: ECRError.repositoryPolicyNotFound) }
    }

    /// The repository and its `policy` text; RepositoryNotFound or the policy's not-found error otherwise.
    static func existing(_ policy: Policy, of name: String, in key: RegistryKey, _ state: RegistryState) throws -> (record: RepositoryRecord, text: String) {
        let record = try state.existingRepository(name, in: key)
        guard let text = record[keyPath: policy.text] else { throw policy.notFound(name, key.accountId) }
        return (record, text)
    }

    func putLifecyclePolicy(_ request: PutLifecyclePolicyRequest, _ context: ECRRequestContext) async throws -> PutLifecyclePolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        let text = request.lifecyclePolicyText
        guard ECRConstraints.lifecyclePolicyText.allowsLength(text.count) else {
            throw ECRError.validation(nil, "lifecyclePolicyText", ECRConstraints.lifecyclePolicyText.lengthBetween)
        }
        _ = try Self.lifecyclePolicy(text)
        let now = context.now.wholeMilliseconds
        try store.update(key) { state in
            try state.updateExistingRepository(name, in: key) { record in
                record.lifecyclePolicyText = text
                record.lifecyclePolicyUpdatedAt = now
            }
        }
        return PutLifecyclePolicyResponse(registryId: key.accountId, repositoryName: name, lifecyclePolicyText: text)
    }

    /// The lifecycle policy of `text`, or ECR's InvalidParameterException with the validation failure.
    static func lifecyclePolicy(_ text: String) throws -> LifecyclePolicy {
        do {
            return try LifecyclePolicy(text: text)
        } catch {
            throw ECRError.invalidParameter("LifecyclePolicyText", "'Lifecycle policy validation failure: \(error)'")
        }
    }

    func getLifecyclePolicy(_ request: GetLifecyclePolicyRequest, _ context: ECRRequestContext) async throws -> GetLifecyclePolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        return try store.read(key) { state in
            let (record, text) = try Self.existing(.lifecycle, of: name, in: key, state)
            return GetLifecyclePolicyResponse(
                registryId: key.accountId, repositoryName: name, lifecyclePolicyText: text, lastEvaluatedAt: record.lifecyclePolicyUpdatedAt)
        }
    }

    func deleteLifecyclePolicy(_ request: DeleteLifecyclePolicyRequest, _ context: ECRRequestContext) async throws -> DeleteLifecyclePolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        return try store.update(key) { state in
            let (record, text) = try Self.existing(.lifecycle, of: name, in: key, state)
            try state.updateExistingRepository(name, in: key) { record in
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
        // ECR's one wording for every policy IAM's parser refuses (PolicyDocument says which element).
        guard (try? PolicyDocument(text: text, kind: .resource)) != nil else {
            throw ECRError.invalidParameter("PolicyText", "'Invalid repository policy provided'")
        }
        try store.update(key) { state in
            try state.updateExistingRepository(name, in: key) { $0.repositoryPolicyText = text }
        }
        return SetRepositoryPolicyResponse(registryId: key.accountId, repositoryName: name, policyText: text)
    }

    func getRepositoryPolicy(_ request: GetRepositoryPolicyRequest, _ context: ECRRequestContext) async throws -> GetRepositoryPolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        return try store.read(key) { state in
            let text = try Self.existing(.repository, of: name, in: key, state).text
            return GetRepositoryPolicyResponse(registryId: key.accountId, repositoryName: name, policyText: text)
        }
    }

    func deleteRepositoryPolicy(_ request: DeleteRepositoryPolicyRequest, _ context: ECRRequestContext) async throws -> DeleteRepositoryPolicyResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        return try store.update(key) { state in
            let text = try Self.existing(.repository, of: name, in: key, state).text
            try state.updateExistingRepository(name, in: key) { $0.repositoryPolicyText = nil }
            return DeleteRepositoryPolicyResponse(registryId: key.accountId, repositoryName: name, policyText: text)
        }
    }
}
