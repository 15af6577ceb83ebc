import ECRWire
import Foundation

/// StartLifecyclePolicyPreview and GetLifecyclePolicyPreview: what a lifecycle policy (the one given,
/// or the repository's) would expire at the fake's clock (`FakeClock`), computed when the preview
/// starts and kept in memory for the repository (ECR keeps previews for a while, then forgets them).
struct LifecycleHandlers: Sendable {
    let store: RegistryStore
    let clock: FakeClock
    let previews = LifecyclePreviews()

    func startLifecyclePolicyPreview(
        _ request: StartLifecyclePolicyPreviewRequest, _ context: ECRRequestContext
    ) async throws -> StartLifecyclePolicyPreviewResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        if let text = request.lifecyclePolicyText, !ECRConstraints.lifecyclePolicyText.allowsLength(text.count) {
            throw ECRError.validation(nil, "lifecyclePolicyText", ECRConstraints.lifecyclePolicyText.lengthBetween)
        }
        let now = clock.now
        let (text, expirations) = try store.read(key) { state -> (String, [LifecycleExpiration]) in
            let record = try state.existingRepository(name, in: key)
            guard let text = request.lifecyclePolicyText ?? record.lifecyclePolicyText else { throw ECRError.lifecyclePolicyNotFound(name, key.accountId) }
            return (text, try PolicyHandlers.lifecyclePolicy(text).expirations(in: record, now: now))
        }
        await previews.set(LifecyclePreviews.Preview(text: text, expirations: expirations), for: key, name)
        return StartLifecyclePolicyPreviewResponse(registryId: key.accountId, repositoryName: name, lifecyclePolicyText: text, status: .inProgress)
    }

    func getLifecyclePolicyPreview(_ request: GetLifecyclePolicyPreviewRequest, _ context: ECRRequestContext) async throws -> GetLifecyclePolicyPreviewResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        try ECRValidation.maxResults(request.maxResults, constraint: ECRConstraints.getLifecyclePolicyPreviewRequest_maxResults)
        let status = try ImageHandlers.tagStatus(request.filter?.tagStatus)
        _ = try store.read(key) { try $0.existingRepository(name, in: key) }
        guard let preview = await previews.preview(for: key, name) else {
            throw ECRError(.lifecyclePolicyPreviewNotFound, "There is no dry run for this repository with name '\(name)' in the registry with id '\(key.accountId)'")
        }
        var results = preview.expirations.filter { expiration in
            switch status {
            case .tagged: return !expiration.image.tags.isEmpty
            case .untagged: return expiration.image.tags.isEmpty
            default: return true
            }
        }
        if let ids = request.imageIds {
            results = results.filter { expiration in
                ids.contains { id in
                    (id.imageDigest.map { $0 == expiration.image.digest } ?? true) && (id.imageTag.map { expiration.image.tags.contains($0) } ?? true)
                }
            }
        }
        let page = try Paging.page(results, token: request.nextToken, maxResults: request.maxResults)
        return GetLifecyclePolicyPreviewResponse(
            registryId: key.accountId, repositoryName: name, lifecyclePolicyText: preview.text, status: .complete, nextToken: page.nextToken,
            previewResults: page.items.map {
                LifecyclePolicyPreviewResult(
                    imageTags: $0.image.tags, imageDigest: $0.image.digest, imagePushedAt: $0.image.pushedAt, action: LifecyclePolicyRuleAction(type: .expire),
                    appliedRulePriority: $0.rulePriority)
            },
            summary: LifecyclePolicyPreviewSummary(expiringImageTotalCount: preview.expirations.count))
    }
}

/// The last lifecycle policy preview of each repository.
actor LifecyclePreviews {
    struct Preview: Sendable {
        var text: String
        var expirations: [LifecycleExpiration]
    }

    private var previews: [String: Preview] = [:]

    func set(_ preview: Preview, for key: RegistryKey, _ name: String) { previews["\(key)/\(name)"] = preview }
    func preview(for key: RegistryKey, _ name: String) -> Preview? { previews["\(key)/\(name)"] }
}
