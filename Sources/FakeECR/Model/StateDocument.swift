import ECRWire
import Foundation

/// The state file format (`--state FILE`, `GET/PUT /_fake/state`, `fixtures/states/*.json`).
///
/// Friendly to write by hand: everything but names, digests and upstream URLs is optional.
/// Unknown keys and bad values are refused with the JSON path and what was expected.
public struct StateDocument: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var registries: [Registry]

    public init(schemaVersion: Int = StateDocument.currentSchemaVersion, registries: [Registry]) {
        self.schemaVersion = schemaVersion
        self.registries = registries
    }

    public struct Registry: Codable, Sendable, Equatable {
        /// Default: the server's default account.
        public var accountId: String?
        /// Default: the server's default region.
        public var region: String?
        public var repositories: [Repository]?
        public var pullThroughCacheRules: [PullThroughCacheRule]?
        /// Account settings by name (`BLOB_MOUNTING`: `ENABLED`), as PutAccountSetting puts them.
        public var accountSettings: [String: String]?
        /// The registry policy (PutRegistryPolicy's text).
        public var registryPolicyText: String?
        /// PutReplicationConfiguration's configuration, in its wire shape.
        public var replicationConfiguration: ReplicationConfiguration?
        /// PutRegistryScanningConfiguration's configuration (`scanType`, `rules`), in its wire shape.
        public var registryScanningConfiguration: RegistryScanningConfiguration?
        /// The CloudTrail history of this account and region, oldest first: each exactly a
        /// `CloudTrailEvent` document. Hand-written records may leave out what `TrailFixture` fills in.
        public var trail: [CloudTrailRecord]?

        public init(
            accountId: String? = nil, region: String? = nil, repositories: [Repository]? = nil, pullThroughCacheRules: [PullThroughCacheRule]? = nil,
            accountSettings: [String: String]? = nil, registryPolicyText: String? = nil, replicationConfiguration: ReplicationConfiguration? = nil,
            registryScanningConfiguration: RegistryScanningConfiguration? = nil, trail: [CloudTrailRecord]? = nil
        ) {
            self.accountId = accountId
            self.region = region
            self.repositories = repositories
            self.pullThroughCacheRules = pullThroughCacheRules
            self.accountSettings = accountSettings
            self.registryPolicyText = registryPolicyText
            self.replicationConfiguration = replicationConfiguration
            self.registryScanningConfiguration = registryScanningConfiguration
            self.trail = trail
        }

        enum CodingKeys: String, CodingKey {
            case accountId, region, repositories, pullThroughCacheRules, accountSettings, registryPolicyText, replicationConfiguration
            case registryScanningConfiguration, trail
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            accountId = try container.decodeIfPresent(String.self, forKey: .accountId)
            region = try container.decodeIfPresent(String.self, forKey: .region)
            repositories = try container.decodeIfPresent([Repository].self, forKey: .repositories)
            pullThroughCacheRules = try container.decodeIfPresent([PullThroughCacheRule].self, forKey: .pullThroughCacheRules)
            accountSettings = try container.decodeIfPresent([String: String].self, forKey: .accountSettings)
            registryPolicyText = try container.decodeIfPresent(String.self, forKey: .registryPolicyText)
            replicationConfiguration = try container.decodeIfPresent(ReplicationConfiguration.self, forKey: .replicationConfiguration)
            registryScanningConfiguration = try container.decodeIfPresent(RegistryScanningConfiguration.self, forKey: .registryScanningConfiguration)
            if let records = try container.decodeIfPresent([JSONValue].self, forKey: .trail) {
                let path = container.codingPath + [CodingKeys.trail]
                trail = try records.enumerated().map { index, value in try TrailFixture.record(value, index: index, codingPath: path) }
            }
        }
    }

    public struct Repository: Codable, Sendable, Equatable {
        public var repositoryName: String
        public var createdAt: Date?
        public var imageTagMutability: String?
        public var imageTagMutabilityExclusionFilters: [ExclusionFilter]?
        public var imageScanningConfiguration: ScanningConfiguration?
        public var encryptionConfiguration: Encryption?
        public var tags: [ResourceTag]?
        public var lifecyclePolicyText: String?
        public var repositoryPolicyText: String?
        public var images: [Image]?

        public init(
            repositoryName: String, createdAt: Date? = nil, imageTagMutability: String? = nil,
            imageTagMutabilityExclusionFilters: [ExclusionFilter]? = nil, imageScanningConfiguration: ScanningConfiguration? = nil,
            encryptionConfiguration: Encryption? = nil, tags: [ResourceTag]? = nil, lifecyclePolicyText: String? = nil,
            repositoryPolicyText: String? = nil, images: [Image]? = nil
        ) {
            self.repositoryName = repositoryName
            self.createdAt = createdAt
            self.imageTagMutability = imageTagMutability
            self.imageTagMutabilityExclusionFilters = imageTagMutabilityExclusionFilters
            self.imageScanningConfiguration = imageScanningConfiguration
            self.encryptionConfiguration = encryptionConfiguration
            self.tags = tags
            self.lifecyclePolicyText = lifecyclePolicyText
            self.repositoryPolicyText = repositoryPolicyText
            self.images = images
        }
    }

    public struct ExclusionFilter: Codable, Sendable, Equatable {
        public var filterType: String
        public var filter: String
    }

    public struct ScanningConfiguration: Codable, Sendable, Equatable {
        public var scanOnPush: Bool
    }

    public struct Encryption: Codable, Sendable, Equatable {
        public var encryptionType: String
        public var kmsKey: String?
    }

    public struct ResourceTag: Codable, Sendable, Equatable {
        public var Key: String
        public var Value: String
    }

    public struct Image: Codable, Sendable, Equatable {
        public var imageDigest: String
        public var imageTags: [String]?
        public var imageManifestMediaType: String?
        public var artifactMediaType: String?
        public var imageSizeInBytes: Int64?
        public var imagePushedAt: Date?
        public var imageManifest: String?
        /// A finished basic scan of the image, as DescribeImageScanFindings shows it (seeded
        /// findings: the image need not be scannable, its layers need not be stored).
        public var imageScanFindings: ScanFindings?

        public init(
            imageDigest: String, imageTags: [String]? = nil, imageManifestMediaType: String? = nil, artifactMediaType: String? = nil,
            imageSizeInBytes: Int64? = nil, imagePushedAt: Date? = nil, imageManifest: String? = nil, imageScanFindings: ScanFindings? = nil
        ) {
            self.imageDigest = imageDigest
            self.imageTags = imageTags
            self.imageManifestMediaType = imageManifestMediaType
            self.artifactMediaType = artifactMediaType
            self.imageSizeInBytes = imageSizeInBytes
            self.imagePushedAt = imagePushedAt
            self.imageManifest = imageManifest
            self.imageScanFindings = imageScanFindings
        }
    }

    /// A seeded scan: its findings in ECR's wire shape (`name`, `description`, `uri`, `severity`,
    /// `attributes` of `key`/`value`), when it completed (default: when the state is loaded) and
    /// when the vulnerability data was last updated.
    public struct ScanFindings: Codable, Sendable, Equatable {
        public var imageScanCompletedAt: Date?
        public var vulnerabilitySourceUpdatedAt: Date?
        public var findings: [ImageScanFinding]?

        public init(imageScanCompletedAt: Date? = nil, vulnerabilitySourceUpdatedAt: Date? = nil, findings: [ImageScanFinding]? = nil) {
            self.imageScanCompletedAt = imageScanCompletedAt
            self.vulnerabilitySourceUpdatedAt = vulnerabilitySourceUpdatedAt
            self.findings = findings
        }
    }

    public struct PullThroughCacheRule: Codable, Sendable, Equatable {
        public var ecrRepositoryPrefix: String
        public var upstreamRegistryUrl: String
        public var upstreamRegistry: String?
        public var credentialArn: String?
        public var customRoleArn: String?
        public var upstreamRepositoryPrefix: String?
        public var createdAt: Date?
        public var updatedAt: Date?

        public init(
            ecrRepositoryPrefix: String, upstreamRegistryUrl: String, upstreamRegistry: String? = nil, credentialArn: String? = nil,
            customRoleArn: String? = nil, upstreamRepositoryPrefix: String? = nil, createdAt: Date? = nil, updatedAt: Date? = nil
        ) {
            self.ecrRepositoryPrefix = ecrRepositoryPrefix
            self.upstreamRegistryUrl = upstreamRegistryUrl
            self.upstreamRegistry = upstreamRegistry
            self.credentialArn = credentialArn
            self.customRoleArn = customRoleArn
            self.upstreamRepositoryPrefix = upstreamRepositoryPrefix
            self.createdAt = createdAt
            self.updatedAt = updatedAt
        }
    }

    // MARK: coding

    /// Dates are ISO 8601 (`2025-04-02T06:49:07Z`, fractional seconds allowed); epoch seconds are read too.
    /// Either way the date must fall in years 1583-9999 (`dateRange`): four-digit years, as an export
    /// writes them, and Gregorian ones (before 1583 the formatter's calendar is Julian, and an epoch
    /// figure and its text no longer agree), so that every date an export writes reads back the same.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            func inRange(_ date: Date, given: @autoclosure () -> String) throws -> Date {
                guard dateRange.contains(date) else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "expected a date in the years 1583 to 9999 (like 2025-04-02T06:49:07Z), got \(given())")
                }
                return date
            }
            if let seconds = try? container.decode(Double.self) {
                return try inRange(Date(timeIntervalSince1970: seconds), given: "\(seconds) seconds since 1970")
            }
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 date like 2025-04-02T06:49:07Z, got '\(text)'")
            }
            return try inRange(date, given: "'\(text)'")
        }
        return decoder
    }

    /// 1583-01-01T00:00:00Z up to the last millisecond of 9999-12-31 (UTC).
    static let dateRange = Date(timeIntervalSince1970: -12_212_553_600)...Date(timeIntervalSince1970: 253_402_300_799.999)

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatDate(date))
        }
        return encoder
    }

    static func parseDate(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static func formatDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        if millis.truncatingRemainder(dividingBy: 1000) != 0 {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        }
        return formatter.string(from: Date(timeIntervalSince1970: millis / 1000))
    }

    /// Parses a document; errors name `file`, the JSON path and what was expected.
    public static func parse(_ data: Data, file: String) throws -> StateDocument {
        try InputFileError.decode(StateDocument.self, from: data, file: file)
    }

    public static func load(_ url: URL) throws -> StateDocument {
        try InputFileError.decode(StateDocument.self, from: url)
    }

    public func encoded() throws -> Data { try Self.encoder().encode(self) }
}
