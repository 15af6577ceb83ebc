import Foundation

/// A region and where it came from ("--region", "AWS_REGION", "profile 'x' (/root/.aws/config:3)", "imds").
public struct ResolvedRegion: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    public var description: String { "\(name) (from \(source))" }
}

/// No region could be found; lists what was tried.
public struct RegionResolutionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var tried: [String]
    public init(tried: [String]) { self.tried = tried }
    public var description: String {
        "no AWS region configured; set --region, AWS_REGION or the profile's region (tried: \(tried.joined(separator: "; ")))"
    }
}

/// Finds the region as the AWS CLI v2 does: the `--region` option, `AWS_REGION`, `AWS_DEFAULT_REGION`,
/// the profile's `region`, then the EC2 instance metadata service (`/latest/meta-data/placement/region`).
public struct RegionResolver: Sendable {
    public var regionOption: String?
    public var profileName: String?
    public var environment: [String: String]
    public var config: AWSSharedConfig
    public var imds: IMDSClient?

    /// - Parameters:
    ///   - regionOption: the `--region` option.
    ///   - profileName: the `--profile` option (else `AWS_DEFAULT_PROFILE` / `AWS_PROFILE` / "default").
    ///   - imds: the instance metadata client, or `nil` to skip that source.
    public init(regionOption: String?, profileName: String?, environment: [String: String], config: AWSSharedConfig, imds: IMDSClient?) {
        self.regionOption = regionOption
        self.profileName = profileName
        self.environment = environment
        self.config = config
        self.imds = imds
    }

    public func resolve() async throws -> ResolvedRegion {
        var tried: [String] = []
        if let option = regionOption {
            let value = option.trimmingCharacters(in: .whitespaces)
            guard Self.isValid(value) else {
                throw AWSConfigError("--region: expected a region name such as ap-northeast-2, found '\(option)'")
            }
            return ResolvedRegion(name: value, source: "--region")
        }
        tried.append("--region not given")
        for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[variable]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                guard Self.isValid(value) else {
                    throw AWSConfigError("\(variable): expected a region name such as ap-northeast-2, found '\(value)'")
                }
                return ResolvedRegion(name: value, source: variable)
            }
            tried.append("\(variable) not set")
        }
        let selected = AWSSharedConfig.selectedProfileName(explicit: profileName, environment: environment)
        if let profile = try config.selectedProfile(explicit: profileName, environment: environment) {
            if let value = profile["region"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                let location = profile.location(of: "region").map { " (\($0))" } ?? ""
                guard Self.isValid(value) else {
                    throw AWSConfigError("\(profile.describeLocation(of: "region")): expected a region name such as ap-northeast-2, found '\(value)'")
                }
                return ResolvedRegion(name: value, source: "profile '\(selected.name)'\(location)")
            }
            tried.append("profile '\(selected.name)' has no region")
        } else {
            tried.append("no profile '\(selected.name)' in \(config.configFilePath ?? "(no config file)")")
        }
        if let imds {
            do {
                let value = try await imds.get("latest/meta-data/placement/region").trimmingCharacters(in: .whitespacesAndNewlines)
                guard Self.isValid(value) else {
                    throw AWSConfigError("imds: placement/region answered '\(value)', which is not a region name")
                }
                return ResolvedRegion(name: value, source: "imds")
            } catch let error as IMDSError {
                tried.append("imds: \(error)")
            }
        } else {
            tried.append("imds: not consulted")
        }
        throw RegionResolutionError(tried: tried)
    }

    /// Letters, digits and dashes (what can safely become a host name label).
    static func isValid(_ region: String) -> Bool {
        !region.isEmpty && region.count <= 64
            && region.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
    }
}
