import AsyncHTTPClient
import Foundation

/// The AWS CLI's default credential chain.
public enum DefaultCredentialChain {
    /// In the AWS CLI's order:
    /// 1. environment variables — only when no explicit `--profile` was given (`profile == nil`), as the CLI does;
    /// 2. assume-role from the profile (`role_arn` + `source_profile` / `credential_source`);
    /// 3. static keys of the profile (credentials file, then config file);
    /// 4. the profile's `credential_process`;
    /// 5. the EC2 instance metadata service (IMDSv2).
    ///
    /// The profile is `profile` (the `--profile` option), else `AWS_DEFAULT_PROFILE` / `AWS_PROFILE`, else "default".
    /// A named profile that exists in neither file makes the chain fail with
    /// "The config profile (x) could not be found".
    ///
    /// The providers whose credentials expire (assume-role, `credential_process`, IMDS) are each wrapped in a
    /// `CachingCredentialProvider`: kept until 5 minutes before expiry, one refresh shared by concurrent callers.
    /// A `credential_process` command is killed after `processTimeout` seconds.
    public static func make(
        profile: String?, environment: [String: String], config: AWSSharedConfig, httpClient: HTTPClient,
        roleAssumer: (any RoleAssumer)?, processTimeout: TimeInterval = ProcessCredentialProvider.defaultTimeout
    ) -> CredentialChain {
        make(profile: profile, environment: environment, config: config,
             imds: IMDSCredentialProvider(httpClient: httpClient, environment: environment), roleAssumer: roleAssumer,
             processTimeout: processTimeout)
    }

    /// The same chain with a given IMDS provider (tests, or to share one `IMDSClient`); it is cached unless it
    /// already is a `CachingCredentialProvider`.
    public static func make(
        profile: String?, environment: [String: String], config: AWSSharedConfig, imds: any CredentialProvider,
        roleAssumer: (any RoleAssumer)?, processTimeout: TimeInterval = ProcessCredentialProvider.defaultTimeout,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> CredentialChain {
        let selected = AWSSharedConfig.selectedProfileName(explicit: profile, environment: environment)
        if selected.named, config.profile(named: selected.name) == nil {
            return CredentialChain(failing: AWSConfigError.profileNotFound(selected.name))
        }
        func cached(_ provider: any CredentialProvider) -> any CredentialProvider {
            provider is CachingCredentialProvider ? provider : CachingCredentialProvider(provider, now: now)
        }
        // One cache for the instance role, whether the chain reaches it directly or as a credential_source.
        let instance = cached(imds)
        var providers: [any CredentialProvider] = []
        if profile == nil {
            providers.append(EnvironmentCredentialProvider(environment: environment))
        }
        let stsRegion = nonEmpty(environment["AWS_REGION"]) ?? nonEmpty(environment["AWS_DEFAULT_REGION"])
        providers.append(cached(AssumeRoleCredentialProvider(
            profileName: selected.name, config: config, environment: environment, roleAssumer: roleAssumer,
            region: stsRegion, imds: instance, processTimeout: processTimeout, now: now)))
        providers.append(ProfileCredentialProvider(profileName: selected.name, config: config))
        providers.append(cached(ProcessCredentialProvider(
            profileName: selected.name, config: config, environment: environment, timeout: processTimeout)))
        providers.append(instance)
        return CredentialChain(providers: providers, name: "default credential chain (profile '\(selected.name)')")
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
