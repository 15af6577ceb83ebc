import ECRWire
import Foundation
import Hummingbird

/// Routes `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>` to its handler, through
/// a table keyed by the model's operations, built once.
struct ECRDispatcher: Sendable {
    /// Decodes an operation's input (from the body as already read, when it was JSON), runs its handler
    /// and encodes its output (the JSON body of the answer).
    typealias Handler = @Sendable (ByteBuffer, JSONValue?, ECRRequestContext) async throws -> Data

    /// The operations this fake serves; the model's other operations (the layer uploads, served by
    /// the `/v2/` data plane, and what the lab does not use) answer UnknownOperationException.
    let handlers: [ECROperation: Handler]

    init(store: RegistryStore, passwords: RegistryPasswordCodec, clock: FakeClock, scanner: ImageScanner) {
        let repositories = RepositoryHandlers(store: store)
        let images = ImageHandlers(store: store, clock: clock)
        let scanning = ScanningHandlers(store: store, scanner: scanner, clock: clock)
        let pullThroughCache = PullThroughCacheHandlers(store: store)
        let policies = PolicyHandlers(store: store)
        let tags = TagHandlers(store: store)
        let registry = RegistryHandlers(store: store, passwords: passwords)
        let accountSettings = AccountSettingHandlers(store: store)
        let referrers = ReferrerHandlers(store: store)
        let settings = RegistrySettingHandlers(store: store)
        let lifecycle = LifecycleHandlers(store: store, clock: clock)
        handlers = [
            .createRepository: Self.handler(repositories.createRepository),
            .describeRepositories: Self.handler(repositories.describeRepositories),
            .deleteRepository: Self.handler(repositories.deleteRepository),
            .putImageTagMutability: Self.handler(repositories.putImageTagMutability),
            .putImageScanningConfiguration: Self.handler(repositories.putImageScanningConfiguration),
            .putImage: Self.handler(images.putImage),
            .listImages: Self.handler(images.listImages),
            .describeImages: Self.handler(images.describeImages),
            .batchGetImage: Self.handler(images.batchGetImage),
            .batchDeleteImage: Self.handler(images.batchDeleteImage),
            .createPullThroughCacheRule: Self.handler(pullThroughCache.create),
            .describePullThroughCacheRules: Self.handler(pullThroughCache.describe),
            .deletePullThroughCacheRule: Self.handler(pullThroughCache.delete),
            .updatePullThroughCacheRule: Self.handler(pullThroughCache.update),
            .validatePullThroughCacheRule: Self.handler(pullThroughCache.validate),
            .putLifecyclePolicy: Self.handler(policies.putLifecyclePolicy),
            .getLifecyclePolicy: Self.handler(policies.getLifecyclePolicy),
            .deleteLifecyclePolicy: Self.handler(policies.deleteLifecyclePolicy),
            .setRepositoryPolicy: Self.handler(policies.setRepositoryPolicy),
            .getRepositoryPolicy: Self.handler(policies.getRepositoryPolicy),
            .deleteRepositoryPolicy: Self.handler(policies.deleteRepositoryPolicy),
            .tagResource: Self.handler(tags.tagResource),
            .untagResource: Self.handler(tags.untagResource),
            .listTagsForResource: Self.handler(tags.listTagsForResource),
            .describeRegistry: Self.handler(registry.describeRegistry),
            .getAuthorizationToken: Self.handler(registry.getAuthorizationToken),
            .putAccountSetting: Self.handler(accountSettings.putAccountSetting),
            .getAccountSetting: Self.handler(accountSettings.getAccountSetting),
            .listImageReferrers: Self.handler(referrers.listImageReferrers),
            .putRegistryPolicy: Self.handler(settings.putRegistryPolicy),
            .getRegistryPolicy: Self.handler(settings.getRegistryPolicy),
            .deleteRegistryPolicy: Self.handler(settings.deleteRegistryPolicy),
            .putReplicationConfiguration: Self.handler(settings.putReplicationConfiguration),
            .describeImageReplicationStatus: Self.handler(settings.describeImageReplicationStatus),
            .startLifecyclePolicyPreview: Self.handler(lifecycle.startLifecyclePolicyPreview),
            .getLifecyclePolicyPreview: Self.handler(lifecycle.getLifecyclePolicyPreview),
            .startImageScan: Self.handler(scanning.startImageScan),
            .describeImageScanFindings: Self.handler(scanning.describeImageScanFindings),
            .getRegistryScanningConfiguration: Self.handler(scanning.getRegistryScanningConfiguration),
            .putRegistryScanningConfiguration: Self.handler(scanning.putRegistryScanningConfiguration),
            .batchGetRepositoryScanningConfiguration: Self.handler(scanning.batchGetRepositoryScanningConfiguration),
        ]
    }

    /// A table entry for a typed handler: its input decoded from the JSON 1.1 body, its output encoded.
    private static func handler<Input: Decodable & Sendable, Output: Encodable & Sendable>(
        _ body: @escaping @Sendable (Input, ECRRequestContext) async throws -> Output
    ) -> Handler {
        { bytes, parsed, context in
            let input = try ECRJSON.decode(Input.self, from: bytes, parsed: parsed)
            return try ECRJSON.encode(try await body(input, context))
        }
    }

    /// Answers one operation with the JSON body of its answer; ECRError for anything ECR would refuse.
    /// `parsed` is the body as `JSONValue(json:)` read it (nil: not JSON).
    func dispatch(_ operation: ECROperation, body: ByteBuffer, parsed: JSONValue?, context: ECRRequestContext) async throws -> Data {
        guard let handler = handlers[operation] else { throw ECRError.unknownOperation() }
        return try await handler(body, parsed, context)
    }
}
