import Foundation

/// Identifies one private registry of the fake: an AWS account in a region.
public struct RegistryKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public var accountId: String
    public var region: String

    public init(accountId: String, region: String) {
        self.accountId = accountId
        self.region = region
    }

    public var description: String { "\(accountId)/\(region)" }

    /// `<account>.dkr.ecr.<region>.amazonaws.com`
    public var registryHost: String { "\(accountId).dkr.ecr.\(region).amazonaws.com" }

    public func repositoryArn(_ name: String) -> String { "arn:aws:ecr:\(region):\(accountId):repository/\(name)" }
    public func repositoryUri(_ name: String) -> String { "\(registryHost)/\(name)" }
}
