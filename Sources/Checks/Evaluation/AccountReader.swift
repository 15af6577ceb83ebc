import AWSCore
import ECRWire
import Foundation

/// Reads one account's ECR state with as few calls as the API allows: each listing is fetched once,
/// shared by every step that needs it, and concurrent requests for the same listing share one call.
public actor AccountReader {
    let ecr: ECRClient
    let sts: STSClient?
    private var repositoriesTask: Task<[Repository], any Error>?
    private var rulesTask: Task<[PullThroughCacheRule], any Error>?
    private var identityTask: Task<CallerIdentity, any Error>?
    private var imageTasks: [String: Task<[ImageDetail], any Error>] = [:]

    public init(ecr: ECRClient, sts: STSClient?) {
        self.ecr = ecr
        self.sts = sts
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

    /// Starts fetching the images of these repositories in the background.
    public func prefetchImages(_ repositories: [String]) {
        for repository in repositories where imageTasks[repository] == nil {
            let ecr = self.ecr
            imageTasks[repository] = Task { try await ecr.allImages(repositoryName: repository) }
        }
    }
}
