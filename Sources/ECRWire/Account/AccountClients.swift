import AsyncHTTPClient
import AWSCore
import Foundation

/// The clients of one AWS account: one signing `AWSClient` (its request counts are the run's API
/// calls) with the ECR and STS clients over it. Every command and test builds its clients here.
public struct AccountClients: Sendable {
    public let client: AWSClient
    public let ecr: ECRClient
    public let sts: STSClient
    /// The region graded (the ECR endpoint's signing region unless said otherwise).
    public let region: String

    /// Clients for resolved endpoints (as the AWS CLI resolves them: `--endpoint-url`, `AWS_ENDPOINT_URL_ECR`, …).
    public init(client: AWSClient, ecr ecrEndpoint: ResolvedEndpoint, sts stsEndpoint: ResolvedEndpoint, region: String? = nil) {
        self.client = client
        self.ecr = ECRClient(client: client, endpoint: ecrEndpoint.url, region: ecrEndpoint.signingRegion)
        self.sts = STSClient(client: client, endpoint: stsEndpoint.url, region: stsEndpoint.signingRegion)
        self.region = region ?? ecrEndpoint.signingRegion
    }

    /// Clients for one endpoint that serves both ECR and STS (a fake-ecr), signing for `region`.
    public init(client: AWSClient, endpoint: URL, region: String) {
        self.client = client
        self.ecr = ECRClient(client: client, endpoint: endpoint, region: region)
        self.sts = STSClient(client: client, endpoint: endpoint, region: region)
        self.region = region
    }

    /// Clients with fixed credentials for one endpoint serving ECR and STS (a fake-ecr).
    public static func fixed(
        _ credentials: Credentials, endpoint: URL, region: String, httpClient: HTTPClient, retryPolicy: RetryPolicy = .standard
    ) -> AccountClients {
        let client = AWSClient(httpClient: httpClient, credentialProvider: StaticCredentialProvider(credentials), retryPolicy: retryPolicy)
        return AccountClients(client: client, endpoint: endpoint, region: region)
    }
}
