import AWSCore
import ECRWire
import Foundation

/// Reads one account's ECR state with as few calls as the API allows: each listing is fetched once,
/// shared by every step that needs it, and concurrent requests for the same listing share one call.
public actor AccountReader {
    let ecr: ECRClient
    let sts: STSClient?
    /// IAM's policy simulator, for permission checks; nil when not available.
    let iam: IAMClient?
    private var repositoriesTask: Task<[Repository], any Error>?
    private var rulesTask: Task<[PullThroughCacheRule], any Error>?
    private var identityTask: Task<CallerIdentity, any Error>?
    private var imageTasks: [String: Task<[ImageDetail], any Error>] = [:]
    private var manifestTasks: [String: Task<FetchedManifest?, any Error>] = [:]

    public init(ecr: ECRClient, sts: STSClient?, iam: IAMClient? = nil) {
        self.ecr = ecr
        self.sts = sts
        self.iam = iam
    }

    /// IAM's decisions for `principal` (a user or role ARN): one SimulatePrincipalPolicy per distinct resource list,
    /// every action of the grants with those resources in it.
    public func simulate(principal: String, grants: [RenderedGrant]) async throws -> [PermissionDecision] {
        guard let iam else { throw NoPolicySimulator() }
        var order: [[String]] = []
        var actionsByResources: [[String]: [String]] = [:]
        for grant in grants {
            if actionsByResources[grant.resources] == nil { order.append(grant.resources) }
            for action in grant.actions where !(actionsByResources[grant.resources] ?? []).contains(action) {
                actionsByResources[grant.resources, default: []].append(action)
            }
        }
        var decisions: [PermissionDecision] = []
        for resources in order {
            let answer = try await iam.simulatePrincipalPolicy(SimulatePrincipalPolicyRequest(
                policySourceArn: principal, actionNames: actionsByResources[resources] ?? [], resourceArns: resources))
            decisions += PermissionDecision.of(answer.evaluationResults ?? [])
        }
        return decisions
    }

    /// Who the credentials belong to (STS GetCallerIdentity).
    public func identity() async throws -> CallerIdentity? {
        guard let sts else { return nil }
        if identityTask == nil { identityTask = Task { try await sts.getCallerIdentity() } }
        return try await identityTask?.value
    }

    public func repositories() async throws -> [Repository] {
        if let repositoriesTask { return try await repositoriesTask.value }
        let ecr = self.ecr
        let task = Task { try await ecr.allRepositories() }
        repositoriesTask = task
        return try await task.value
    }

    public func cacheRules() async throws -> [PullThroughCacheRule] {
        if let rulesTask { return try await rulesTask.value }
        let ecr = self.ecr
        let task = Task { try await ecr.allPullThroughCacheRules() }
        rulesTask = task
        return try await task.value
    }

    /// Images of a repository known to exist (from `repositories()`); all pages.
    public func images(repository: String) async throws -> [ImageDetail] {
        if let task = imageTasks[repository] { return try await task.value }
        let ecr = self.ecr
        let task = Task { try await ecr.allImages(repositoryName: repository) }
        imageTasks[repository] = task
        return try await task.value
    }

    /// The manifest tagged `tag` in `repository` as ECR serves it (BatchGetImage), nil when the tag is not there.
    public func manifest(repository: String, tag: String) async throws -> FetchedManifest? {
        let key = repository + "\u{0}" + tag
        if let task = manifestTasks[key] { return try await task.value }
        let ecr = self.ecr
        let task = Task { () throws -> FetchedManifest? in
            let answer = try await ecr.batchGetImage(.init(
                repositoryName: repository, imageIds: [ImageIdentifier(imageTag: tag)],
                acceptedMediaTypes: ManifestMediaTypes.accepted))
            guard let image = answer.images?.first, let text = image.imageManifest, let digest = image.imageId?.imageDigest else { return nil }
            return FetchedManifest(data: Data(text.utf8), mediaType: image.imageManifestMediaType ?? "", digest: digest)
        }
        manifestTasks[key] = task
        return try await task.value
    }

    /// Starts fetching the images of these repositories in the background.
    public func prefetchImages(_ repositories: [String]) {
        for repository in repositories where imageTasks[repository] == nil {
            let ecr = self.ecr
            imageTasks[repository] = Task { try await ecr.allImages(repositoryName: repository) }
        }
    }
}

/// The reader was made without an IAM client, so permissions cannot be simulated.
public struct NoPolicySimulator: Error, Sendable, CustomStringConvertible {
    public var description: String { "this run has no IAM client to simulate permissions with" }
}
