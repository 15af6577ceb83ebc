import ECRWire
import Foundation

/// One repository of a registry, with its images, as the fake keeps it.
public struct RepositoryRecord: Sendable, Codable, Equatable {
    public var name: String
    public var createdAt: Date
    public var imageTagMutability: ImageTagMutability
    public var imageTagMutabilityExclusionFilters: [ImageTagMutabilityExclusionFilter]?
    public var scanOnPush: Bool
    public var encryptionType: EncryptionType
    public var kmsKey: String?
    public var tags: [Tag]
    public var lifecyclePolicyText: String?
    public var lifecyclePolicyUpdatedAt: Date?
    public var repositoryPolicyText: String?
    /// In push order.
    public var images: [ImageRecord]
    /// The blobs (configs and layers) visible in this repository: uploaded to it, mounted into it,
    /// pulled through the cache into it, or referenced by its images. Blob bytes are stored once
    /// for the whole fake; which repository may see them is this set's to say.
    public var blobs: Set<String>

    public init(
        name: String, createdAt: Date, imageTagMutability: ImageTagMutability = .mutable,
        imageTagMutabilityExclusionFilters: [ImageTagMutabilityExclusionFilter]? = nil,
        scanOnPush: Bool = false, encryptionType: EncryptionType = .aes256, kmsKey: String? = nil,
        tags: [Tag] = [], lifecyclePolicyText: String? = nil, lifecyclePolicyUpdatedAt: Date? = nil,
        repositoryPolicyText: String? = nil, images: [ImageRecord] = [], blobs: Set<String>? = nil
    ) {
        self.name = name
        self.createdAt = createdAt
        self.imageTagMutability = imageTagMutability
        self.imageTagMutabilityExclusionFilters = imageTagMutabilityExclusionFilters
        self.scanOnPush = scanOnPush
        self.encryptionType = encryptionType
        self.kmsKey = kmsKey
        self.tags = tags
        self.lifecyclePolicyText = lifecyclePolicyText
        self.lifecyclePolicyUpdatedAt = lifecyclePolicyUpdatedAt
        self.repositoryPolicyText = repositoryPolicyText
        self.images = images
        self.blobs = blobs ?? Self.blobsReferenced(by: images)
    }

    /// The config and layer digests that `images` reference.
    static func blobsReferenced(by images: [ImageRecord]) -> Set<String> {
        Set(images.flatMap { ImageManifest.parse(Data($0.manifest.utf8))?.blobDigests ?? [] })
    }

    enum CodingKeys: String, CodingKey {
        case name, createdAt, imageTagMutability, imageTagMutabilityExclusionFilters, scanOnPush, encryptionType, kmsKey, tags
        case lifecyclePolicyText, lifecyclePolicyUpdatedAt, repositoryPolicyText, images, blobs
    }

    /// A stored record; one written before blobs had a visibility sees those its images reference.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            createdAt: try container.decode(Date.self, forKey: .createdAt),
            imageTagMutability: try container.decode(ImageTagMutability.self, forKey: .imageTagMutability),
            imageTagMutabilityExclusionFilters: try container.decodeIfPresent([ImageTagMutabilityExclusionFilter].self, forKey: .imageTagMutabilityExclusionFilters),
            scanOnPush: try container.decode(Bool.self, forKey: .scanOnPush),
            encryptionType: try container.decode(EncryptionType.self, forKey: .encryptionType),
            kmsKey: try container.decodeIfPresent(String.self, forKey: .kmsKey),
            tags: try container.decode([Tag].self, forKey: .tags),
            lifecyclePolicyText: try container.decodeIfPresent(String.self, forKey: .lifecyclePolicyText),
            lifecyclePolicyUpdatedAt: try container.decodeIfPresent(Date.self, forKey: .lifecyclePolicyUpdatedAt),
            repositoryPolicyText: try container.decodeIfPresent(String.self, forKey: .repositoryPolicyText),
            images: try container.decode([ImageRecord].self, forKey: .images),
            blobs: try container.decodeIfPresent(Set<String>.self, forKey: .blobs))
    }

    public func imageIndex(digest: String) -> Int? { images.firstIndex { $0.digest == digest } }
    public func imageIndex(tag: String) -> Int? { images.firstIndex { $0.tags.contains(tag) } }

    /// The wire shape of this repository in `key`'s registry.
    public func wire(in key: RegistryKey) -> Repository {
        Repository(
            repositoryArn: key.repositoryArn(name),
            registryId: key.accountId,
            repositoryName: name,
            repositoryUri: key.repositoryUri(name),
            createdAt: createdAt,
            imageTagMutability: imageTagMutability,
            imageTagMutabilityExclusionFilters: imageTagMutabilityExclusionFilters,
            imageScanningConfiguration: ImageScanningConfiguration(scanOnPush: scanOnPush),
            encryptionConfiguration: EncryptionConfiguration(encryptionType: encryptionType, kmsKey: kmsKey)
        )
    }

    /// Whether pushing `tag` onto another image is refused by the tag mutability setting.
    public func isTagImmutable(_ tag: String) -> Bool {
        let matchesExclusion = (imageTagMutabilityExclusionFilters ?? []).contains { Wildcard.matches(pattern: $0.filter, tag) }
        switch imageTagMutability {
        case .immutable: return true
        case .immutableWithExclusion: return !matchesExclusion
        case .mutableWithExclusion: return matchesExclusion
        default: return false
        }
    }
}

/// One image (manifest) of a repository.
public struct ImageRecord: Sendable, Codable, Equatable {
    public var digest: String
    public var tags: [String]
    public var manifest: String {
        didSet { subjectManifestDigest = Self.subject(of: manifest) }
    }
    public var mediaType: String
    public var artifactMediaType: String?
    public var sizeInBytes: Int64
    public var pushedAt: Date
    /// The image's last scan (StartImageScan, scan on push, or seeded); nil: never scanned.
    public var scan: ImageScanRecord?
    /// The digest the manifest's `subject` names (OCI referrers), read from `manifest` once, not at
    /// every DescribeImages (where it was 3% of the fake's CPU); never stored, always derived.
    public private(set) var subjectManifestDigest: String?

    public init(
        digest: String, tags: [String], manifest: String, mediaType: String, artifactMediaType: String? = nil, sizeInBytes: Int64, pushedAt: Date,
        scan: ImageScanRecord? = nil
    ) {
        self.init(
            digest: digest, tags: tags, manifest: manifest, mediaType: mediaType, artifactMediaType: artifactMediaType, sizeInBytes: sizeInBytes,
            pushedAt: pushedAt, scan: scan, subjectManifestDigest: Self.subject(of: manifest))
    }

    /// An image whose manifest was already read: `subjectManifestDigest` is its subject's digest.
    init(
        digest: String, tags: [String], manifest: String, mediaType: String, artifactMediaType: String?, sizeInBytes: Int64, pushedAt: Date,
        scan: ImageScanRecord?, subjectManifestDigest: String?
    ) {
        self.digest = digest
        self.tags = tags
        self.manifest = manifest
        self.mediaType = mediaType
        self.artifactMediaType = artifactMediaType
        self.sizeInBytes = sizeInBytes
        self.pushedAt = pushedAt
        self.scan = scan
        self.subjectManifestDigest = subjectManifestDigest
    }

    static func subject(of manifest: String) -> String? { ImageManifest.parse(Data(manifest.utf8))?.subjectDigest }

    enum CodingKeys: String, CodingKey {
        case digest, tags, manifest, mediaType, artifactMediaType, sizeInBytes, pushedAt, scan
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            digest: try container.decode(String.self, forKey: .digest), tags: try container.decode([String].self, forKey: .tags),
            manifest: try container.decode(String.self, forKey: .manifest), mediaType: try container.decode(String.self, forKey: .mediaType),
            artifactMediaType: try container.decodeIfPresent(String.self, forKey: .artifactMediaType),
            sizeInBytes: try container.decode(Int64.self, forKey: .sizeInBytes), pushedAt: try container.decode(Date.self, forKey: .pushedAt),
            scan: try container.decodeIfPresent(ImageScanRecord.self, forKey: .scan))
    }
}

/// A pull through cache rule of a registry.
public struct PullThroughCacheRuleRecord: Sendable, Codable, Equatable {
    public var ecrRepositoryPrefix: String
    public var upstreamRegistryUrl: String
    public var upstreamRegistry: UpstreamRegistry
    public var credentialArn: String?
    public var customRoleArn: String?
    public var upstreamRepositoryPrefix: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        ecrRepositoryPrefix: String, upstreamRegistryUrl: String, upstreamRegistry: UpstreamRegistry,
        credentialArn: String? = nil, customRoleArn: String? = nil, upstreamRepositoryPrefix: String? = nil,
        createdAt: Date, updatedAt: Date? = nil
    ) {
        self.ecrRepositoryPrefix = ecrRepositoryPrefix
        self.upstreamRegistryUrl = upstreamRegistryUrl
        self.upstreamRegistry = upstreamRegistry
        self.credentialArn = credentialArn
        self.customRoleArn = customRoleArn
        self.upstreamRepositoryPrefix = upstreamRepositoryPrefix
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    public func wire(registryId: String) -> PullThroughCacheRule {
        PullThroughCacheRule(
            ecrRepositoryPrefix: ecrRepositoryPrefix, upstreamRegistryUrl: upstreamRegistryUrl, createdAt: createdAt,
            registryId: registryId, credentialArn: credentialArn, customRoleArn: customRoleArn,
            upstreamRepositoryPrefix: upstreamRepositoryPrefix, upstreamRegistry: upstreamRegistry, updatedAt: updatedAt
        )
    }
}

/// `*` wildcard matching, as ECR's tag mutability exclusion filters use.
enum Wildcard {
    static func matches(pattern: String, _ value: String) -> Bool {
        let p = Array(pattern), v = Array(value)
        var pi = 0, vi = 0, star = -1, mark = 0
        while vi < v.count {
            if pi < p.count, p[pi] == v[vi] {
                pi += 1; vi += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = vi; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; vi = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
