import Foundation

/// Where requests to a service go, and how they are signed.
public struct ResolvedEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var url: URL
    public var signingRegion: String
    /// SigV4 signing name ("ecr", "sts").
    public var signingName: String
    /// Which setting chose the URL ("--endpoint-url", "AWS_ENDPOINT_URL_ECR", "services 'x' in /root/.aws/config:7", "default", ...).
    public var source: String

    public init(url: URL, signingRegion: String, signingName: String, source: String) {
        self.url = url
        self.signingRegion = signingRegion
        self.signingName = signingName
        self.source = source
    }

    public var description: String { "\(url.absoluteString) (signing \(signingName)/\(signingRegion), from \(source))" }
}

/// An AWS service as the endpoint resolver needs it.
public struct EndpointService: Sendable, Equatable {
    /// The SDKs' service id ("ECR", "STS").
    public var serviceId: String
    /// The host name prefix ("api.ecr", "sts").
    public var endpointPrefix: String
    /// The SigV4 signing name ("ecr", "sts").
    public var signingName: String

    /// A global service's one endpoint per partition (IAM): host and signing region for `aws` and `aws-cn`.
    public var global: GlobalEndpoint?

    /// The endpoint of a global service: the default whatever the region, signed for its own region.
    public struct GlobalEndpoint: Sendable, Equatable {
        public var host: String
        public var signingRegion: String
        public var chinaHost: String
        public var chinaSigningRegion: String

        public init(host: String, signingRegion: String, chinaHost: String, chinaSigningRegion: String) {
            self.host = host
            self.signingRegion = signingRegion
            self.chinaHost = chinaHost
            self.chinaSigningRegion = chinaSigningRegion
        }
    }

    public init(serviceId: String, endpointPrefix: String, signingName: String, global: GlobalEndpoint? = nil) {
        self.serviceId = serviceId
        self.endpointPrefix = endpointPrefix
        self.signingName = signingName
        self.global = global
    }

    public static let ecr = EndpointService(serviceId: "ECR", endpointPrefix: "api.ecr", signingName: "ecr")
    public static let sts = EndpointService(serviceId: "STS", endpointPrefix: "sts", signingName: "sts")
    public static let cloudTrail = EndpointService(serviceId: "CloudTrail", endpointPrefix: "cloudtrail", signingName: "cloudtrail")
    /// IAM is global: https://iam.amazonaws.com signed for us-east-1 (botocore's `aws-global`); an endpoint set by
    /// the user (`AWS_ENDPOINT_URL_IAM`, …) is signed for the client's region, as botocore does.
    public static let iam = EndpointService(
        serviceId: "IAM", endpointPrefix: "iam", signingName: "iam",
        global: GlobalEndpoint(host: "iam.amazonaws.com", signingRegion: "us-east-1",
                               chinaHost: "iam.cn-north-1.amazonaws.com.cn", chinaSigningRegion: "cn-north-1"))

    /// `AWS_ENDPOINT_URL_<ID>`: the service id upper-cased, spaces (and dashes) to underscores.
    public var environmentVariable: String {
        "AWS_ENDPOINT_URL_" + serviceId.uppercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    /// The key of the service's block in a `[services x]` section: the service id lower-cased, spaces to underscores.
    public var configKey: String {
        serviceId.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }
}

/// Resolves a service endpoint with the SDKs' "service-specific endpoints" rules, in botocore's order:
/// 1. the `--endpoint-url` option (always honoured);
/// 2. `AWS_ENDPOINT_URL_<SERVICE_ID>` (e.g. `AWS_ENDPOINT_URL_ECR`);
/// 3. `AWS_ENDPOINT_URL`;
/// 4. the profile's `services = name` → `[services name]` → `<service> =` block → `endpoint_url`;
/// 5. the profile's `endpoint_url`;
/// 6. the default: `https://<prefix>.<region>.amazonaws.com` (`amazonaws.com.cn` in `cn-*` regions); a global
///    service's one endpoint (IAM: `https://iam.amazonaws.com`, signed for us-east-1).
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (which wins over the profile's `ignore_configured_endpoint_urls`)
/// skips 2–5, not the option.
public struct EndpointResolver: Sendable {
    public var service: EndpointService
    public var environment: [String: String]
    public var config: AWSSharedConfig
    public var profileName: String?

    /// - Parameter profileName: the `--profile` option (else `AWS_DEFAULT_PROFILE` / `AWS_PROFILE` / "default").
    public init(service: EndpointService, profileName: String?, environment: [String: String], config: AWSSharedConfig) {
        self.service = service
        self.profileName = profileName
        self.environment = environment
        self.config = config
    }

    public func resolve(region: String, endpointOption: String? = nil) throws -> ResolvedEndpoint {
        guard RegionResolver.isValid(region) else {
            throw AWSConfigError("region: expected a region name such as ap-northeast-2, found '\(region)'")
        }
        func endpoint(_ text: String, from source: String) throws -> ResolvedEndpoint {
            ResolvedEndpoint(url: try Self.validate(text, setting: source), signingRegion: region, signingName: service.signingName, source: source)
        }
        if let endpointOption {
            return try endpoint(endpointOption, from: "--endpoint-url")
        }
        let profile = try config.selectedProfile(explicit: profileName, environment: environment)
        if !ignoreConfiguredEndpoints(profile) {
            if let value = nonEmpty(environment[service.environmentVariable]) {
                return try endpoint(value, from: service.environmentVariable)
            }
            if let value = nonEmpty(environment["AWS_ENDPOINT_URL"]) {
                return try endpoint(value, from: "AWS_ENDPOINT_URL")
            }
            if let profile, let sectionName = profile["services"] {
                guard let section = config.services[sectionName] else {
                    throw AWSConfigError(
                        "\(profile.describeLocation(of: "services")): the profile uses the services section \"\(sectionName)\", but [services \(sectionName)] does not exist in \(config.configFilePath ?? "the config file")")
                }
                if let value = nonEmpty(section[service.configKey]?["endpoint_url"]) {
                    return try endpoint(value, from: "[services \(sectionName)] \(service.configKey).endpoint_url in \(config.configFilePath ?? "the config file")")
                }
            }
            if let profile, let value = nonEmpty(profile["endpoint_url"]) {
                return try endpoint(value, from: profile.describeLocation(of: "endpoint_url"))
            }
        }
        let china = region.hasPrefix("cn-")
        if let global = service.global {
            return ResolvedEndpoint(
                url: try Self.validate("https://" + (china ? global.chinaHost : global.host), setting: "default"),
                signingRegion: china ? global.chinaSigningRegion : global.signingRegion, signingName: service.signingName,
                source: "default (global)")
        }
        let suffix = china ? "amazonaws.com.cn" : "amazonaws.com"
        return try endpoint("https://\(service.endpointPrefix).\(region).\(suffix)", from: "default")
    }

    private func ignoreConfiguredEndpoints(_ profile: AWSProfile?) -> Bool {
        if let value = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] { return value.lowercased() == "true" }
        return profile?["ignore_configured_endpoint_urls"]?.lowercased() == "true"
    }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// An endpoint must be an absolute http(s) URL with a host, no query or fragment.
    static func validate(_ text: String, setting: String) throws -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil, let url = components.url else {
            throw AWSConfigError("\(setting): expected an endpoint URL such as https://api.ecr.us-east-1.amazonaws.com or http://127.0.0.1:4566, found '\(text)'")
        }
        return url
    }
}
