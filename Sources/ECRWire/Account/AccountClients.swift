import AsyncHTTPClient
import AWSCore
import Foundation

/// The clients of one AWS account: one signing `AWSClient` (its request counts are the run's API
/// calls) with the ECR, STS, CloudTrail and IAM clients over it. Every command and test builds its clients here.
public struct AccountClients: Sendable {
    public let client: AWSClient
    public let ecr: ECRClient
    public let sts: STSClient
    /// The account's event history (LookupEvents).
    public let cloudTrail: CloudTrailClient
    /// IAM's global endpoint (the policy simulator, for permission checks).
    public let iam: IAMClient
    /// The region graded (the ECR endpoint's signing region unless said otherwise).
    public let region: String

    /// Clients for resolved endpoints (as the AWS CLI resolves them: `--endpoint-url`, `AWS_ENDPOINT_URL_ECR`, …).
    public init(
        client: AWSClient, ecr ecrEndpoint: ResolvedEndpoint, sts stsEndpoint: ResolvedEndpoint, cloudTrail trailEndpoint: ResolvedEndpoint,
        iam iamEndpoint: ResolvedEndpoint, region: String? = nil
    ) {
        self.client = client
        self.ecr = ECRClient(client: client, endpoint: ecrEndpoint.url, region: ecrEndpoint.signingRegion)
        self.sts = STSClient(client: client, endpoint: stsEndpoint.url, region: stsEndpoint.signingRegion)
        self.cloudTrail = CloudTrailClient(client: client, endpoint: trailEndpoint.url, region: trailEndpoint.signingRegion)
        self.iam = IAMClient(client: client, endpoint: iamEndpoint)
        self.region = region ?? ecrEndpoint.signingRegion
    }

    /// Clients for one endpoint that serves ECR, STS, CloudTrail and IAM (a fake-ecr), signing for `region`.
    public init(client: AWSClient, endpoint: URL, region: String) {
        self.client = client
        self.ecr = ECRClient(client: client, endpoint: endpoint, region: region)
        self.sts = STSClient(client: client, endpoint: endpoint, region: region)
        self.cloudTrail = CloudTrailClient(client: client, endpoint: endpoint, region: region)
        self.iam = IAMClient(client: client, endpoint: endpoint, region: region)
        self.region = region
    }

    /// Clients with fixed credentials for one endpoint serving ECR, STS, CloudTrail and IAM (a fake-ecr).
    public static func fixed(
        _ credentials: Credentials, endpoint: URL, region: String, httpClient: HTTPClient, retryPolicy: RetryPolicy = .standard
    ) -> AccountClients {
        let client = AWSClient(httpClient: httpClient, credentialProvider: StaticCredentialProvider(credentials), retryPolicy: retryPolicy)
        return AccountClients(client: client, endpoint: endpoint, region: region)
    }
}
