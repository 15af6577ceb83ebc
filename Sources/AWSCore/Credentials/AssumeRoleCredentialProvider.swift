import Foundation

/// The parameters of one `sts:AssumeRole` call.
public struct AssumeRoleParameters: Sendable, Equatable {
    public var roleArn: String
    public var roleSessionName: String
    public var externalId: String?
    public var durationSeconds: Int?

    public init(roleArn: String, roleSessionName: String, externalId: String? = nil, durationSeconds: Int? = nil) {
        self.roleArn = roleArn
        self.roleSessionName = roleSessionName
        self.externalId = externalId
        self.durationSeconds = durationSeconds
    }
}

/// Something that calls `sts:AssumeRole` (the STS client; a stub in tests).
public protocol RoleAssumer: Sendable {
    /// Assumes `parameters.roleArn`, signing with `credentials`, against STS in `region` (nil: the assumer's default).
    func assumeRole(_ parameters: AssumeRoleParameters, credentials: Credentials, region: String?) async throws -> Credentials
}

/// Credentials of a role named by a profile's `role_arn`, assumed with the credentials of its
/// `source_profile` (static keys, `credential_process`, or another role, recursively) or of its
/// `credential_source` (`Environment`, `Ec2InstanceMetadata`), as the AWS CLI does.
/// `role_session_name`, `external_id` and `duration_seconds` are passed to STS.
/// Every call assumes the role again: wrap the provider in a `CachingCredentialProvider` (the default
/// chain does) to keep the result until shortly before it expires and share one refresh among callers.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    public let name: String
    public let profileName: String
    private let config: AWSSharedConfig
    private let environment: [String: String]
    private let roleAssumer: (any RoleAssumer)?
    private let region: String?
    private let imds: (any CredentialProvider)?
    private let now: @Sendable () -> Date
    private let processTimeout: TimeInterval

    /// - Parameters:
    ///   - region: the STS region; `nil` uses each role profile's `region` setting (then the assumer's default).
    ///   - imds: the provider used for `credential_source = Ec2InstanceMetadata`.
    ///   - processTimeout: the deadline of a source profile's `credential_process`.
    ///   - now: the clock, for default session names.
    public init(
        profileName: String, config: AWSSharedConfig, environment: [String: String], roleAssumer: (any RoleAssumer)?,
        region: String? = nil, imds: (any CredentialProvider)? = nil,
        processTimeout: TimeInterval = ProcessCredentialProvider.defaultTimeout, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.profileName = profileName
        self.config = config
        self.environment = environment
        self.roleAssumer = roleAssumer
        self.region = region
        self.imds = imds
        self.now = now
        self.processTimeout = processTimeout
        self.name = "assume-role (profile '\(profileName)')"
    }

    public func credentials() async throws -> Credentials {
        let plan = try makePlan()
        guard let roleAssumer else {
            throw CredentialProviderError.failed(
                provider: name, reason: "profile '\(profileName)' sets role_arn but no STS client was configured to assume it")
        }
        return try await Self.execute(
            plan, roleAssumer: roleAssumer, environment: environment, imds: imds, provider: name, processTimeout: processTimeout)
    }

    // MARK: - Plan

    enum Source: Sendable {
        case staticKeys(Credentials)
        case process(profile: String, command: String, location: String)
        case environment
        case instanceMetadata
    }

    struct Hop: Sendable {
        var profile: String
        var parameters: AssumeRoleParameters
        var region: String?
    }

    struct Plan: Sendable {
        var source: Source
        var hops: [Hop]
    }

    static let supportedCredentialSources = ["Environment", "Ec2InstanceMetadata"]

    func makePlan() throws -> Plan {
        guard let profile = config.profile(named: profileName) else {
            throw CredentialProviderError.notFound(provider: name, reason: "no profile '\(profileName)'")
        }
        guard profile["role_arn"] != nil, profile["web_identity_token_file"] == nil else {
            throw CredentialProviderError.notFound(provider: name, reason: "profile '\(profileName)' has no role_arn")
        }
        var visited = [profileName]
        return try plan(for: profileName, visited: &visited)
    }

    private func fail(_ reason: String) -> CredentialProviderError {
        .failed(provider: name, reason: reason)
    }

    private func plan(for current: String, visited: inout [String]) throws -> Plan {
        guard let profile = config.profile(named: current) else { throw fail("no profile '\(current)'") }
        let hop = Hop(profile: current, parameters: try parameters(profile), region: region ?? profile["region"])
        let sourceProfileName = profile["source_profile"]
        let credentialSource = profile["credential_source"]
        switch (sourceProfileName, credentialSource) {
        case (.some, .some):
            throw fail("The profile \"\(current)\" contains both source_profile and credential_source (\(profile.describeLocation(of: "credential_source")))")
        case (nil, nil):
            throw fail("profile \"\(current)\" sets role_arn (\(profile.describeLocation(of: "role_arn"))) but neither source_profile nor credential_source")
        case (nil, let source?):
            switch source {
            case "Environment": return Plan(source: .environment, hops: [hop])
            case "Ec2InstanceMetadata": return Plan(source: .instanceMetadata, hops: [hop])
            default:
                throw fail("\(profile.describeLocation(of: "credential_source")): expected one of \(Self.supportedCredentialSources.joined(separator: ", ")), found '\(source)'")
            }
        case (let sourceName?, nil):
            guard let sourceProfile = config.profile(named: sourceName) else {
                throw fail("The source_profile \"\(sourceName)\" referenced in the profile \"\(current)\" does not exist (\(profile.describeLocation(of: "source_profile")))")
            }
            if visited.contains(sourceName) {
                // A profile may name itself only to use its own static keys (botocore's rule).
                if sourceName != current || !sourceProfile.hasStaticCredentials {
                    throw fail("source_profile cycle: \((visited + [sourceName]).joined(separator: " -> ")) (\(profile.describeLocation(of: "source_profile")))")
                }
            }
            visited.append(sourceName)
            if sourceProfile.hasStaticCredentials || sourceProfile["role_arn"] == nil || sourceName == current {
                return Plan(source: try baseSource(sourceProfile, referencedFrom: current), hops: [hop])
            }
            var inner = try plan(for: sourceName, visited: &visited)
            inner.hops.append(hop)
            return inner
        }
    }

    private func baseSource(_ profile: AWSProfile, referencedFrom parent: String) throws -> Source {
        if profile.hasStaticCredentials {
            guard let accessKey = profile["aws_access_key_id"], let secret = profile["aws_secret_access_key"] else {
                throw fail("source profile \"\(profile.name)\" has only one of aws_access_key_id / aws_secret_access_key (partial credentials)")
            }
            let token = profile["aws_session_token"]
            return .staticKeys(Credentials(
                accessKeyId: accessKey, secretAccessKey: secret, sessionToken: token, source: "profile:\(profile.name)"))
        }
        if let command = profile["credential_process"], !command.isEmpty {
            return .process(profile: profile.name, command: command, location: profile.describeLocation(of: "credential_process"))
        }
        throw fail("The source profile \"\(profile.name)\" (referenced by \"\(parent)\") must have credentials")
    }

    private func parameters(_ profile: AWSProfile) throws -> AssumeRoleParameters {
        guard let roleArn = profile["role_arn"], !roleArn.isEmpty else {
            throw fail("profile \"\(profile.name)\": role_arn is empty")
        }
        if profile["mfa_serial"] != nil {
            throw fail("\(profile.describeLocation(of: "mfa_serial")): MFA-protected roles need an interactive code, which labcheck cannot prompt for")
        }
        var duration: Int?
        if let text = profile["duration_seconds"] {
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw fail("\(profile.describeLocation(of: "duration_seconds")): expected a whole number of seconds, found '\(text)'")
            }
            duration = value
        }
        let sessionName = profile["role_session_name"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "labcheck-session-\(Int(now().timeIntervalSince1970))"
        return AssumeRoleParameters(roleArn: roleArn, roleSessionName: sessionName, externalId: profile["external_id"], durationSeconds: duration)
    }

    // MARK: - Execution

    static func execute(
        _ plan: Plan, roleAssumer: any RoleAssumer, environment: [String: String], imds: (any CredentialProvider)?,
        provider: String, processTimeout: TimeInterval
    ) async throws -> Credentials {
        var credentials: Credentials
        switch plan.source {
        case .staticKeys(let keys):
            credentials = keys
        case .process(let profile, let command, let location):
            credentials = try await ProcessCredentialProvider.run(
                command: command, environment: environment, provider: provider, where: location, profileName: profile,
                timeout: processTimeout)
        case .environment:
            do {
                credentials = try EnvironmentCredentialProvider(environment: environment).load()
            } catch let error as CredentialProviderError {
                throw CredentialProviderError.failed(provider: provider, reason: "credential_source Environment: \(error)")
            }
        case .instanceMetadata:
            guard let imds else {
                throw CredentialProviderError.failed(provider: provider, reason: "credential_source Ec2InstanceMetadata: no instance metadata client configured")
            }
            do {
                credentials = try await imds.credentials()
            } catch let error as CredentialProviderError {
                throw CredentialProviderError.failed(provider: provider, reason: "credential_source Ec2InstanceMetadata: \(error)")
            }
        }
        for hop in plan.hops {
            do {
                var assumed = try await roleAssumer.assumeRole(hop.parameters, credentials: credentials, region: hop.region)
                assumed.source = "assume-role:\(hop.profile)"
                credentials = assumed
            } catch {
                throw CredentialProviderError.failed(
                    provider: provider,
                    reason: "AssumeRole \(hop.parameters.roleArn) (profile '\(hop.profile)', source credentials from \(credentials.source)) failed: \(error)")
            }
        }
        return credentials
    }
}
