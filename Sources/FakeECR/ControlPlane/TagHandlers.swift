import ECRWire
import Foundation

/// TagResource, UntagResource, ListTagsForResource (repositories are ECR's taggable resources).
struct TagHandlers: Sendable {
    let store: RegistryStore

    /// The registry and repository of a resource ARN, that the caller may use.
    static func repository(_ arn: String, _ context: ECRRequestContext) async throws -> (RegistryKey, String) {
        let (key, name) = try parse(arn)
        try await context.authorize(repository: name, in: key)
        return (key, name)
    }

    /// The registry and repository name of `arn:aws:ecr:<region>:<account>:repository/<name>`.
    static func parse(_ arn: String) throws -> (RegistryKey, String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "ecr", !parts[3].isEmpty,
            parts[4].count == 12, parts[4].allSatisfy(\.isNumber), parts[5].hasPrefix("repository/")
        else {
            throw ECRError.invalidParameter("resourceArn", "'Invalid ARN'")
        }
        let name = String(parts[5].dropFirst("repository/".count))
        guard ECRValidation.isRepositoryName(name) else { throw ECRError.invalidParameter("resourceArn", "'Invalid ARN'") }
        return (RegistryKey(accountId: String(parts[4]), region: String(parts[3])), name)
    }

    func tagResource(_ request: TagResourceRequest, _ context: ECRRequestContext) async throws -> TagResourceResponse {
        let (key, name) = try await Self.repository(request.resourceArn, context)
        try store.update(key) { state in
            let record = try state.existingRepository(name, in: key)
            try ECRValidation.tags(request.tags, existing: record.tags)
            state.updateRepository(name) { record in
                for tag in request.tags {
                    if let index = record.tags.firstIndex(where: { $0.key == tag.key }) {
                        record.tags[index].value = tag.value
                    } else {
                        record.tags.append(tag)
                    }
                }
            }
        }
        return TagResourceResponse()
    }

    func untagResource(_ request: UntagResourceRequest, _ context: ECRRequestContext) async throws -> UntagResourceResponse {
        let (key, name) = try await Self.repository(request.resourceArn, context)
        try store.update(key) { state in
            try state.updateExistingRepository(name, in: key) { $0.tags.removeAll { request.tagKeys.contains($0.key) } }
        }
        return UntagResourceResponse()
    }

    func listTagsForResource(_ request: ListTagsForResourceRequest, _ context: ECRRequestContext) async throws -> ListTagsForResourceResponse {
        let (key, name) = try await Self.repository(request.resourceArn, context)
        return try store.read(key) { state in
            let record = try state.existingRepository(name, in: key)
            return ListTagsForResourceResponse(tags: record.tags)
        }
    }
}
