import AsyncHTTPClient
import AWSCore
import ECRWire
import Foundation

/// Clients for one AWS account, resolved like the AWS CLI: credentials chain, region, endpoints.
struct AccountConnection {
    var clients: AccountClients
    var region: ResolvedRegion
    /// Where each service's requests go and which setting chose it (ECR, STS, CloudTrail, IAM).
    var endpoints: [(service: String, endpoint: ResolvedEndpoint)]
    var credentialsSource: String
    /// What the connection was built from, for connecting further accounts (a class roster).
    var config: AWSSharedConfig
    var credentialProvider: any CredentialProvider
    var timeouts: AWSTimeouts
    /// `AWS_MAX_ATTEMPTS` / the profile's `max_attempts`, or standard mode's 3.
    var retryPolicy: RetryPolicy
}

enum AccountConnector {
    /// Resolves region, endpoints and credentials (fetched once now, so a missing credential fails
    /// early with the list of sources tried). Bad settings throw their own `BadInputError`s.
    static func connect(_ options: ConnectionOptions, environment: [String: String], httpClient: HTTPClient) async throws -> AccountConnection {
        let config = try AWSSharedConfig.load(environment: environment, homeDirectory: environment["HOME"])
        let profileName = options.profile  // the explicit --profile; the resolvers fall back to AWS_PROFILE and "default"
        let region: ResolvedRegion
        do {
            let imds = IMDSClient(httpClient: httpClient, environment: environment)
            region = try await RegionResolver(regionOption: options.region, profileName: profileName, environment: environment,
                                              config: config, imds: imds).resolve()
        } catch {
            throw CLIError.badInput("\(error); give --region or set AWS_REGION")
        }
        let stsResolver = EndpointResolver(service: .sts, profileName: profileName, environment: environment, config: config)
        let ecrEndpoint = try EndpointResolver(service: .ecr, profileName: profileName, environment: environment, config: config)
            .resolve(region: region.name, endpointOption: options.endpointURL)
        let stsEndpoint = try stsResolver.resolve(region: region.name, endpointOption: options.endpointURL)
        let trailEndpoint = try EndpointResolver(service: .cloudTrail, profileName: profileName, environment: environment, config: config)
            .resolve(region: region.name, endpointOption: options.endpointURL)
        let iamEndpoint = try EndpointResolver(service: .iam, profileName: profileName, environment: environment, config: config)
            .resolve(region: region.name, endpointOption: options.endpointURL)
        let endpointOption = options.endpointURL
        let retryPolicy = try RetryPolicy.configured(
            profile: try config.selectedProfile(explicit: options.profile, environment: environment), environment: environment)
        let assumer = STSRoleAssumer(httpClient: httpClient, defaultRegion: region.name, retryPolicy: retryPolicy) { stsRegion in
            try stsResolver.resolve(region: stsRegion, endpointOption: endpointOption).url
        }
        let chain = DefaultCredentialChain.make(profile: options.profile, environment: environment, config: config,
                                                httpClient: httpClient, roleAssumer: assumer)
        let credentials: Credentials
        do {
            credentials = try await chain.credentials()
        } catch let error as AWSConfigError {
            throw error
        } catch {
            throw CLIError.couldNotEvaluate("\(error)")
        }
        let timeouts = AWSTimeouts(connect: options.connectTimeout, request: options.requestTimeout)
        let client = AWSClient(httpClient: httpClient, credentialProvider: chain, retryPolicy: retryPolicy, timeouts: timeouts)
        return AccountConnection(
            clients: AccountClients(client: client, ecr: ecrEndpoint, sts: stsEndpoint, cloudTrail: trailEndpoint, iam: iamEndpoint,
                                    region: region.name),
            region: region, endpoints: [
                (EndpointService.ecr.serviceId, ecrEndpoint), (EndpointService.sts.serviceId, stsEndpoint),
                (EndpointService.cloudTrail.serviceId, trailEndpoint), (EndpointService.iam.serviceId, iamEndpoint),
            ], credentialsSource: credentials.source,
            config: config, credentialProvider: chain, timeouts: timeouts, retryPolicy: retryPolicy)
    }
}
