import AsyncHTTPClient
import AWSCore
import Foundation

/// Assumes roles through STS for credential providers (`role_arn` profiles) and for grading a class.
public struct STSRoleAssumer: RoleAssumer {
    let httpClient: HTTPClient
    let defaultRegion: String
    let endpoint: @Sendable (String) throws -> URL
    let retryPolicy: RetryPolicy

    /// - Parameter endpoint: the STS endpoint for a region (regional STS, or an override such as a fake).
    public init(httpClient: HTTPClient, defaultRegion: String, retryPolicy: RetryPolicy = .standard,
                endpoint: @escaping @Sendable (String) throws -> URL) {
        self.httpClient = httpClient
        self.defaultRegion = defaultRegion
        self.endpoint = endpoint
        self.retryPolicy = retryPolicy
    }

    public func assumeRole(_ parameters: AssumeRoleParameters, credentials: Credentials, region: String?) async throws -> Credentials {
        let region = region ?? defaultRegion
        let client = AWSClient(httpClient: httpClient, credentialProvider: StaticCredentialProvider(credentials), retryPolicy: retryPolicy)
        let sts = STSClient(client: client, endpoint: try endpoint(region), region: region)
        return try await sts.assumeRole(
            roleArn: parameters.roleArn, sessionName: parameters.roleSessionName,
            externalId: parameters.externalId, durationSeconds: parameters.durationSeconds).credentials
    }
}
