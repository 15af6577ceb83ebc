import ECRWire
import Foundation
import Hummingbird

/// Routes `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>` to its handler.
struct ECRDispatcher: Sendable {
    static let targetPrefix = "AmazonEC2ContainerRegistry_V20150921."

    let repositories: RepositoryHandlers
    let images: ImageHandlers
    let pullThroughCache: PullThroughCacheHandlers
    let policies: PolicyHandlers
    let tags: TagHandlers
    let registry: RegistryHandlers

    init(store: RegistryStore, passwords: RegistryPasswordCodec) {
        repositories = RepositoryHandlers(store: store)
        images = ImageHandlers(store: store)
        pullThroughCache = PullThroughCacheHandlers(store: store)
        policies = PolicyHandlers(store: store)
        tags = TagHandlers(store: store)
        registry = RegistryHandlers(store: store, passwords: passwords)
    }

    /// The operation named by a target header, or nil when it is not ECR's.
    static func operation(fromTarget target: String) -> String? {
        guard target.hasPrefix(targetPrefix) else { return nil }
        let name = String(target.dropFirst(targetPrefix.count))
        return ECROperationErrors.byOperation[name] != nil ? name : nil
    }

    /// Answers one operation; ECRError for anything ECR would refuse.
    func dispatch(_ operation: String, body: ByteBuffer, context: ECRRequestContext) async throws -> Response {
        func run<Input: Decodable, Output: Encodable>(
            _ handler: (Input, ECRRequestContext) async throws -> Output
        ) async throws -> Response {
            let input = try ECRJSON.decode(Input.self, from: body)
            return try ECRJSON.response(try await handler(input, context), requestId: context.requestId)
        }
        switch operation {
        case "CreateRepository": return try await run(repositories.createRepository)
        case "DescribeRepositories": return try await run(repositories.describeRepositories)
        case "DeleteRepository": return try await run(repositories.deleteRepository)
        case "PutImageTagMutability": return try await run(repositories.putImageTagMutability)
        case "PutImageScanningConfiguration": return try await run(repositories.putImageScanningConfiguration)
        case "PutImage": return try await run(images.putImage)
        case "ListImages": return try await run(images.listImages)
        case "DescribeImages": return try await run(images.describeImages)
        case "BatchGetImage": return try await run(images.batchGetImage)
        case "BatchDeleteImage": return try await run(images.batchDeleteImage)
        case "CreatePullThroughCacheRule": return try await run(pullThroughCache.create)
        case "DescribePullThroughCacheRules": return try await run(pullThroughCache.describe)
        case "DeletePullThroughCacheRule": return try await run(pullThroughCache.delete)
        case "UpdatePullThroughCacheRule": return try await run(pullThroughCache.update)
        case "ValidatePullThroughCacheRule": return try await run(pullThroughCache.validate)
        case "PutLifecyclePolicy": return try await run(policies.putLifecyclePolicy)
        case "GetLifecyclePolicy": return try await run(policies.getLifecyclePolicy)
        case "DeleteLifecyclePolicy": return try await run(policies.deleteLifecyclePolicy)
        case "SetRepositoryPolicy": return try await run(policies.setRepositoryPolicy)
        case "GetRepositoryPolicy": return try await run(policies.getRepositoryPolicy)
        case "DeleteRepositoryPolicy": return try await run(policies.deleteRepositoryPolicy)
        case "TagResource": return try await run(tags.tagResource)
        case "UntagResource": return try await run(tags.untagResource)
        case "ListTagsForResource": return try await run(tags.listTagsForResource)
        case "DescribeRegistry": return try await run(registry.describeRegistry)
        case "GetAuthorizationToken": return try await run(registry.getAuthorizationToken)
        default:
            // In the model but not served by this part of the fake (layer uploads: the registry data plane).
            throw ECRError.unknownOperation()
        }
    }
}
