import ECRWire
import Foundation

/// The registry-level settings of one registry (an account in a region), beside its repositories:
/// the account settings of `PutAccountSetting` (BLOB_MOUNTING and the others the model names), the
/// registry policy and the replication configuration.
public struct RegistrySettings: Sendable, Codable, Equatable {
    /// Account settings that were put, by name; a name never put has its `AccountSetting` default.
    public var accountSettings: [String: String]
    /// The registry's permissions policy (PutRegistryPolicy), as the client sent it.
    public var registryPolicyText: String?
    /// Where pushed images are copied (PutReplicationConfiguration); nil: never configured.
    public var replicationConfiguration: ReplicationConfiguration?
    /// Which repositories are scanned, how (PutRegistryScanningConfiguration); nil: never put.
    public var scanningConfiguration: RegistryScanningConfiguration?

    public init(
        accountSettings: [String: String] = [:], registryPolicyText: String? = nil, replicationConfiguration: ReplicationConfiguration? = nil,
        scanningConfiguration: RegistryScanningConfiguration? = nil
    ) {
        self.accountSettings = accountSettings
        self.registryPolicyText = registryPolicyText
        self.replicationConfiguration = replicationConfiguration
        self.scanningConfiguration = scanningConfiguration
    }

    public var isEmpty: Bool { accountSettings.isEmpty && registryPolicyText == nil && replicationConfiguration == nil && scanningConfiguration == nil }

    /// The registry scanning configuration in effect (ECR's default when none was put).
    public var effectiveScanningConfiguration: RegistryScanningConfiguration { scanningConfiguration ?? .registryDefault }

    enum CodingKeys: String, CodingKey { case accountSettings, registryPolicyText, replicationConfiguration, scanningConfiguration }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accountSettings = try container.decodeIfPresent([String: String].self, forKey: .accountSettings) ?? [:]
        registryPolicyText = try container.decodeIfPresent(String.self, forKey: .registryPolicyText)
        replicationConfiguration = try container.decodeIfPresent(ReplicationConfiguration.self, forKey: .replicationConfiguration)
        scanningConfiguration = try container.decodeIfPresent(RegistryScanningConfiguration.self, forKey: .scanningConfiguration)
    }

    /// The value of an account setting: the one put, or its default.
    public func value(of setting: AccountSetting) -> String {
        accountSettings[setting.rawValue] ?? setting.defaultValue
    }

    /// Whether repositories of the registry may mount each other's layers (BLOB_MOUNTING is ENABLED).
    public var blobMountingEnabled: Bool { value(of: .blobMounting) == "ENABLED" }
}

/// The account settings of `PutAccountSetting`/`GetAccountSetting`, with the values ECR's API
/// reference lists for each (the model leaves names and values free-form strings).
public enum AccountSetting: String, Sendable, CaseIterable {
    case basicScanTypeVersion = "BASIC_SCAN_TYPE_VERSION"
    case registryPolicyScope = "REGISTRY_POLICY_SCOPE"
    case blobMounting = "BLOB_MOUNTING"

    public var allowedValues: [String] {
        switch self {
        case .basicScanTypeVersion: ["AWS_NATIVE", "CLAIR"]
        case .registryPolicyScope: ["V1", "V2"]
        case .blobMounting: ["ENABLED", "DISABLED"]
        }
    }

    /// What a registry that never put the setting has: AWS native basic scanning, registry
    /// policies of scope V2 and no blob mounting (ECR's defaults for a new registry).
    public var defaultValue: String {
        switch self {
        case .basicScanTypeVersion: "AWS_NATIVE"
        case .registryPolicyScope: "V2"
        case .blobMounting: "DISABLED"
        }
    }
}
