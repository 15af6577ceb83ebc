import AsyncHTTPClient
import AWSCore
import ECRWire
import Foundation

/// Clients for one AWS account, resolved like the AWS CLI: credentials chain, region, endpoints.
struct AccountConnection {
    var client: AWSClient
    var ecr: ECRClient
    var sts: STSClient
    var region: ResolvedRegion
    var ecrEndpoint: ResolvedEndpoint
    var credentialsSource: String
    /// What the connection was built from, for connecting further accounts (a class roster).
    var config: AWSSharedConfig
    var credentialProvider: any CredentialProvider
    var timeouts: AWSTimeouts
}

enum AccountConnector {
    /// Resolves region, endpoints and credentials (fetched once now, so a missing credential fails
    /// early with the list of sources tried).
    static func connect(_ options: ConnectionOptions, environment: [String: String], httpClient: HTTPClient) async throws -> AccountConnection {
        let config: AWSSharedConfig
        do {
            config = try AWSSharedConfig.load(environment: environment, homeDirectory: environment["HOME"])
        } catch {
            throw CLIError.badInput("\(error)")
        }
        let profileName = options.profile  // the explicit --profile; the resolvers fall back to AWS_PROFILE and "default"
        let region: ResolvedRegion
        do {
            let imds = IMDSClient(httpClient: httpClient, environment: environment)
            region = try await RegionResolver(regionOption: options.region, profileName: profileName, environment: environment,
                                              config: config, imds: imds).resolve()
        } catch {
            throw CLIError.badInput("\(error); give --region or set AWS_REGION")
        }
        let ecrEndpoint: ResolvedEndpoint
        let stsResolver = EndpointResolver(service: .sts, profileName: profileName, environment: environment, config: config)
        let stsEndpoint: ResolvedEndpoint
        do {
            ecrEndpoint = try EndpointResolver(service: .ecr, profileName: profileName, environment: environment, config: config)
                .resolve(region: region.name, endpointOption: options.endpointURL)
            stsEndpoint = try stsResolver.resolve(region: region.name, endpointOption: options.endpointURL)
        } catch {
            throw CLIError.badInput("\(error)")
        }
        let endpointOption = options.endpointURL
        let assumer = STSRoleAssumer(httpClient: httpClient, defaultRegion: region.name) { stsRegion in
            try stsResolver.resolve(region: stsRegion, endpointOption: endpointOption).url
        }
        let chain = DefaultCredentialChain.make(profile: options.profile, environment: environment, config: config,
                                                httpClient: httpClient, roleAssumer: assumer)
        let credentials: Credentials
        do {
            credentials = try await chain.credentials()
        } catch let error as AWSConfigError {
            throw CLIError.badInput(error.description)
        } catch {
            throw CLIError.couldNotEvaluate("\(error)")
        }
        let timeouts = AWSTimeouts(connect: options.connectTimeout, request: options.requestTimeout)
        let client = AWSClient(httpClient: httpClient, credentialProvider: chain, timeouts: timeouts)
        return AccountConnection(
            client: client,
            ecr: ECRClient(client: client, endpoint: ecrEndpoint.url, region: ecrEndpoint.signingRegion),
            sts: STSClient(client: client, endpoint: stsEndpoint.url, region: stsEndpoint.signingRegion),
            region: region, ecrEndpoint: ecrEndpoint, credentialsSource: credentials.source,
            config: config, credentialProvider: chain, timeouts: timeouts)
    }
}
