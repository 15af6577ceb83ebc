import AWSCore
import Foundation

/// The ECR operations LabCheck needs, over AWS JSON 1.1, with pagination handled.
public struct ECRClient: Sendable {
    public static let targetPrefix = ECRService.targetPrefix
    public static let apiVersion = ECRService.apiVersion
    /// Largest page ECR serves (the model's `maxResults` maximum).
    public static let maxPageSize = ECRConstraints.maxResults.max ?? 1000

    public let json: JSONProtocol

    public init(client: AWSClient, endpoint: URL, region: String) {
        let service = AWSServiceConfig(
            serviceId: ECRService.serviceId, signingName: ECRService.signingName, endpoint: endpoint, region: region,
            apiVersion: Self.apiVersion, targetPrefix: Self.targetPrefix)
        self.json = JSONProtocol(client: client, service: service)
    }

    /// The default public endpoint of ECR in `region`.
    public static func defaultEndpoint(region: String) -> URL? {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return URL(string: "https://api.ecr.\(region).\(suffix)")
    }

    public func describeRepositories(_ input: DescribeRepositoriesRequest) async throws -> DescribeRepositoriesResponse {
        try await call(.describeRepositories, input)
    }

    /// Every repository of the registry, all pages.
    public func allRepositories(registryId: String? = nil) async throws -> [Repository] {
        try await paginate { token in
            let page = try await describeRepositories(.init(registryId: registryId, nextToken: token, maxResults: Self.maxPageSize))
            return (page.repositories ?? [], page.nextToken)
        }
    }

    public func describeImages(_ input: DescribeImagesRequest) async throws -> DescribeImagesResponse {
        try await call(.describeImages, input)
    }

    /// Every image of a repository, all pages.
    public func allImages(repositoryName: String, registryId: String? = nil, filter: DescribeImagesFilter? = nil) async throws -> [ImageDetail] {
        try await paginate { token in
            let page = try await describeImages(.init(registryId: registryId, repositoryName: repositoryName, nextToken: token,
                                                      maxResults: Self.maxPageSize, filter: filter))
            return (page.imageDetails ?? [], page.nextToken)
        }
    }

    public func listImages(_ input: ListImagesRequest) async throws -> ListImagesResponse {
        try await call(.listImages, input)
    }

    /// Every image id of a repository, all pages.
    public func allImageIds(repositoryName: String, registryId: String? = nil, filter: ListImagesFilter? = nil) async throws -> [ImageIdentifier] {
        try await paginate { token in
            let page = try await listImages(.init(registryId: registryId, repositoryName: repositoryName, nextToken: token,
                                                  maxResults: Self.maxPageSize, filter: filter))
            return (page.imageIds ?? [], page.nextToken)
        }
    }

    public func batchGetImage(_ input: BatchGetImageRequest) async throws -> BatchGetImageResponse {
        try await call(.batchGetImage, input)
    }

    public func describePullThroughCacheRules(_ input: DescribePullThroughCacheRulesRequest) async throws -> DescribePullThroughCacheRulesResponse {
        try await call(.describePullThroughCacheRules, input)
    }

    /// Every pull-through cache rule of the registry, all pages.
    public func allPullThroughCacheRules(registryId: String? = nil) async throws -> [PullThroughCacheRule] {
        try await paginate { token in
            let page = try await describePullThroughCacheRules(.init(registryId: registryId, nextToken: token, maxResults: Self.maxPageSize))
            return (page.pullThroughCacheRules ?? [], page.nextToken)
        }
    }

    public func getAuthorizationToken(_ input: GetAuthorizationTokenRequest = .init()) async throws -> GetAuthorizationTokenResponse {
        try await call(.getAuthorizationToken, input)
    }

    /// Calls any operation of the model by its typed name.
    public func call<Input: Encodable & Sendable, Output: Decodable>(_ operation: ECROperation, _ input: Input) async throws -> Output {
        try await json.call(operation.rawValue, input)
    }

    /// Follows `nextToken` until the last page. Stops with an error if a service repeats a token (a loop).
    func paginate<Item>(_ fetch: (String?) async throws -> ([Item], String?)) async throws -> [Item] {
        var items: [Item] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            let (page, next) = try await fetch(token)
            items.append(contentsOf: page)
            if let next, !seen.insert(next).inserted {
                throw AWSServiceError(code: "PaginationLoop", message: "the service returned nextToken '\(next)' twice", httpStatus: 200)
            }
            token = next
        } while token != nil
        return items
    }
}
