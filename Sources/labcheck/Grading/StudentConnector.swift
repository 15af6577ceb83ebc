import AsyncHTTPClient
import AWSCore
import Checks
import ECRWire
import Foundation

/// Builds the clients for one student of a roster: an assumed role (session `labcheck-<id>`) or a
/// named profile, the student's region, the instructor's endpoint settings. All students share one
/// HTTP client.
struct StudentConnector: Sendable {
    let httpClient: HTTPClient
    let environment: [String: String]
    let config: AWSSharedConfig
    /// The instructor's credentials, for AssumeRole.
    let baseCredentials: any CredentialProvider
    let defaultRegion: String
    let endpointOption: String?
    let timeouts: AWSTimeouts
    /// The instructor's retry settings, for every student's calls.
    let retryPolicy: RetryPolicy

    func connect(_ entry: RosterEntry) async throws -> AccountClients {
        let region = entry.region ?? defaultRegion
        let ecrEndpoint = try EndpointResolver(service: .ecr, profileName: nil, environment: environment, config: config)
            .resolve(region: region, endpointOption: endpointOption)
        let stsEndpoint = try EndpointResolver(service: .sts, profileName: nil, environment: environment, config: config)
            .resolve(region: region, endpointOption: endpointOption)
        let trailEndpoint = try EndpointResolver(service: .cloudTrail, profileName: nil, environment: environment, config: config)
            .resolve(region: region, endpointOption: endpointOption)
        let iamEndpoint = try EndpointResolver(service: .iam, profileName: nil, environment: environment, config: config)
            .resolve(region: region, endpointOption: endpointOption)
        let assumer = STSRoleAssumer(httpClient: httpClient, defaultRegion: region, retryPolicy: retryPolicy) { _ in stsEndpoint.url }
        let provider: any CredentialProvider
        switch entry.access {
        case .role(let arn, let externalId):
            let base = try await baseCredentials.credentials()
            let parameters = AssumeRoleParameters(roleArn: arn, roleSessionName: entry.sessionName, externalId: externalId)
            do {
                provider = StaticCredentialProvider(try await assumer.assumeRole(parameters, credentials: base, region: region))
            } catch {
                throw StudentConnectionError.assumeRole(arn: arn, underlying: error)
            }
        case .profile(let name):
            provider = DefaultCredentialChain.make(profile: name, environment: environment, config: config, httpClient: httpClient,
                                                   roleAssumer: assumer)
        }
        let client = AWSClient(httpClient: httpClient, credentialProvider: provider, retryPolicy: retryPolicy, timeouts: timeouts)
        return AccountClients(client: client, ecr: ecrEndpoint, sts: stsEndpoint, cloudTrail: trailEndpoint, iam: iamEndpoint, region: region)
    }
}

enum StudentConnectionError: Error, CustomStringConvertible {
    case assumeRole(arn: String, underlying: any Error)

    var description: String {
        switch self {
        case .assumeRole(let arn, let underlying): "could not assume \(arn): \(underlying)"
        }
    }
}
