import Foundation

/// Where and how to reach one AWS service: endpoint, signing region and name, protocol details.
public struct AWSServiceConfig: Sendable, Equatable {
    /// The service id of the SDKs ("ECR", "STS").
    public var serviceId: String
    /// The SigV4 signing name ("ecr", "sts").
    public var signingName: String
    /// The endpoint, e.g. https://api.ecr.ap-northeast-1.amazonaws.com or a fake's http://127.0.0.1:PORT.
    public var endpoint: URL
    /// The region requests are signed for.
    public var region: String
    /// The API version sent by the query protocol ("2011-06-15" for STS).
    public var apiVersion: String
    /// The `X-Amz-Target` prefix of JSON protocols ("AmazonEC2ContainerRegistry_V20150921").
    public var targetPrefix: String?

    public init(serviceId: String, signingName: String, endpoint: URL, region: String, apiVersion: String, targetPrefix: String? = nil) {
        self.serviceId = serviceId
        self.signingName = signingName
        self.endpoint = endpoint
        self.region = region
        self.apiVersion = apiVersion
        self.targetPrefix = targetPrefix
    }
}
