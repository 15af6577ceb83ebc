import ECRWire
import Foundation

/// ListImageReferrers: the artifacts (manifests with a `subject`) of an image, as the `/v2/`
/// referrers API lists them (`RepositoryRecord.referrers(of:artifactTypes:)`).
struct ReferrerHandlers: Sendable {
    let store: RegistryStore

    func listImageReferrers(_ request: ListImageReferrersRequest, _ context: ECRRequestContext) async throws -> ListImageReferrersResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        try ECRValidation.maxResults(request.maxResults, constraint: ECRConstraints.listImageReferrersRequest_maxResults)
        let digest = request.subjectId.imageDigest
        guard ECRValidation.isDigest(digest) else {
            throw ECRError.invalidParameter("subjectId.imageDigest", "'must satisfy regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+''")
        }
        let types = request.filter?.artifactTypes
        if let types { try ECRValidation.length(types.count, ECRConstraints.artifactTypes, field: "filter.artifactTypes") }
        let status = request.filter?.artifactStatus ?? .active
        guard status.isKnown else {
            throw ECRError.invalidParameter("filter.artifactStatus", "'Member must satisfy enum value set: [\(ArtifactStatusFilter.knownValuesList)]'")
        }
        let referrers = try store.read(key) { state in
            try state.existingRepository(name, in: key).referrers(of: digest, artifactTypes: types)
        }
        // The fake never archives an image: every referrer is ACTIVE.
        let listed: [ImageReferrer] = status == .archived || status == .activating ? [] : referrers.map {
            ImageReferrer(digest: $0.digest, mediaType: $0.mediaType, artifactType: $0.artifactType, size: $0.size, annotations: $0.annotations, artifactStatus: .active)
        }
        let page = try Paging.page(listed, token: request.nextToken, maxResults: request.maxResults)
        return ListImageReferrersResponse(referrers: Array(page.items), nextToken: page.nextToken)
    }
}
