import AWSCore
import Foundation

/// The ECR operations LabCheck needs, over AWS JSON 1.1, with pagination handled.
public struct ECRClient: Sendable {
    public static let targetPrefix = ECRService.targetPrefix
    public static let apiVersion = ECRService.apiVersion
    /// Largest page ECR serves (the model's `maxResults` maximum).
    public static let maxPageSize = ECRConstraints.maxResults.max ?? 1000
    /// Most pages `paginate` follows: 1,000 pages of up to 1,000 items is far beyond any registry's quota
    /// (10,000 repositories, 20,000 images per repository), so more means a service that never stops paging.
    public static let maxPages = 1000

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
        try await paginate(.describeRepositories) { token in
            let page = try await describeRepositories(.init(registryId: registryId, nextToken: token, maxResults: Self.maxPageSize))
            return (try Self.member(page.repositories, "repositories", of: .describeRepositories), page.nextToken)
        }
    }

    public func describeImages(_ input: DescribeImagesRequest) async throws -> DescribeImagesResponse {
        try await call(.describeImages, input)
    }

    /// Every image of a repository, all pages.
    public func allImages(repositoryName: String, registryId: String? = nil, filter: DescribeImagesFilter? = nil) async throws -> [ImageDetail] {
        try await paginate(.describeImages) { token in
            let page = try await describeImages(.init(registryId: registryId, repositoryName: repositoryName, nextToken: token,
                                                      maxResults: Self.maxPageSize, filter: filter))
            return (try Self.member(page.imageDetails, "imageDetails", of: .describeImages), page.nextToken)
        }
    }

    public func listImages(_ input: ListImagesRequest) async throws -> ListImagesResponse {
        try await call(.listImages, input)
    }

    /// Every image id of a repository, all pages.
    public func allImageIds(repositoryName: String, registryId: String? = nil, filter: ListImagesFilter? = nil) async throws -> [ImageIdentifier] {
        try await paginate(.listImages) { token in
            let page = try await listImages(.init(registryId: registryId, repositoryName: repositoryName, nextToken: token,
                                                  maxResults: Self.maxPageSize, filter: filter))
            return (try Self.member(page.imageIds, "imageIds", of: .listImages), page.nextToken)
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
        try await paginate(.describePullThroughCacheRules) { token in
            let page = try await describePullThroughCacheRules(.init(registryId: registryId, nextToken: token, maxResults: Self.maxPageSize))
            return (try Self.member(page.pullThroughCacheRules, "pullThroughCacheRules", of: .describePullThroughCacheRules), page.nextToken)
        }
    }

    public func getAuthorizationToken(_ input: GetAuthorizationTokenRequest = .init()) async throws -> GetAuthorizationTokenResponse {
        try await call(.getAuthorizationToken, input)
    }

    /// Calls any operation of the model by its typed name.
    public func call<Input: Encodable & Sendable, Output: Decodable>(_ operation: ECROperation, _ input: Input) async throws -> Output {
        try await json.call(operation.rawValue, input)
    }

    /// The list member of a page. ECR always sends it (`{"repositories":[]}` when there are none), so an
    /// answer without it (`{}`, another shape) is an error, never an empty list that would read as "none".
    static func member<Item>(_ value: [Item]?, _ name: String, of operation: ECROperation) throws -> [Item] {
        guard let value else {
            throw AWSServiceError.invalidResponse(
                "the answer to \(operation.rawValue) has no '\(name)' list; it does not have the shape of a \(operation.rawValue) answer",
                operation: "ecr:" + operation.rawValue)
        }
        return value
    }

    /// Follows `nextToken` until the last page. Stops with an error if a service repeats a token (a loop) or
    /// pages on past `maxPages` (a service that sends a new token on every page).
    func paginate<Item>(
        _ operation: ECROperation, maxPages: Int = Self.maxPages, _ fetch: (String?) async throws -> ([Item], String?)
    ) async throws -> [Item] {
        let name = "ecr:" + operation.rawValue
        var items: [Item] = []
        var token: String?
        var seen: Set<String> = []
        var pages = 0
        repeat {
            if pages >= maxPages {
                throw AWSServiceError(
                    code: "PaginationLoop",
                    message: "\(name): the service was still sending nextToken after \(pages) pages (\(items.count) items); stopped there",
                    httpStatus: 200, operation: name)
            }
            let (page, next) = try await fetch(token)
            pages += 1
            items.append(contentsOf: page)
            if let next, !seen.insert(next).inserted {
                throw AWSServiceError(
                    code: "PaginationLoop", message: "\(name): the service returned the same nextToken twice (page \(pages))",
                    httpStatus: 200, operation: name)
            }
            token = next
        } while token != nil
        return items
    }
}
