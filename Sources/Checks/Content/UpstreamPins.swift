import Foundation

/// What the upstream images are, pinned once from their registries (`labcheck pin`) and reviewed in
/// git beside the spec (`checks/ecr-lab.pins.json`): for each upstream reference, the digest it
/// resolved to (an index or a single manifest) and, per platform, the manifest and config digests.
/// Grading reads pins, never the network.
public struct UpstreamPins: Codable, Sendable, Hashable {
    public static let currentSchemaVersion = 1

    public struct Platform: Codable, Sendable, Hashable {
        /// `linux/amd64`, `linux/arm64/v8`, or `unknown` for a single manifest whose config names none.
        public var platform: String
        public var manifestDigest: String
        public var configDigest: String

        public init(platform: String, manifestDigest: String, configDigest: String) {
            self.platform = platform
            self.manifestDigest = manifestDigest
            self.configDigest = configDigest
        }
    }

    public struct Image: Codable, Sendable, Hashable {
        /// The digest the reference resolved to: the index's for a multi-platform image.
        public var digest: String
        public var mediaType: String
        /// Where it was pinned from (`https://public.ecr.aws`, `oci:fixtures/upstream/public.ecr.aws`).
        public var source: String
        public var platforms: [Platform]

        public init(digest: String, mediaType: String, source: String, platforms: [Platform]) {
            self.digest = digest
            self.mediaType = mediaType
            self.source = source
            self.platforms = platforms
        }

        /// Every manifest digest a faithful push can have: the index's and each platform's.
        public var manifestDigests: Set<String> { Set([digest] + platforms.map(\.manifestDigest)) }
        public var configDigests: Set<String> { Set(platforms.map(\.configDigest)) }
        /// "linux/amd64, linux/arm64".
        public var platformList: String { platforms.map(\.platform).joined(separator: ", ") }
    }

    public var schemaVersion: Int
    /// The lab these pins are for (the spec's id).
    public var labId: String
    public var pinnedAt: Date
    public var images: [ImageReference: Image]

    public init(labId: String, pinnedAt: Date, images: [ImageReference: Image]) {
        self.schemaVersion = Self.currentSchemaVersion
        self.labId = labId
        self.pinnedAt = pinnedAt
        self.images = images
    }

    public func image(_ reference: ImageReference) -> Image? { images[reference] }

    enum CodingKeys: String, CodingKey { case schemaVersion, labId, pinnedAt, images }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        labId = try container.decode(String.self, forKey: .labId)
        pinnedAt = try container.decode(Date.self, forKey: .pinnedAt)
        let byText = try container.decode([String: Image].self, forKey: .images)
        var images: [ImageReference: Image] = [:]
        for (text, image) in byText {
            guard let reference = ImageReference(parsing: text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .images, in: container, debugDescription: "'\(text)' is not an image reference like public.ecr.aws/nginx/nginx:1.27")
            }
            images[reference] = image
        }
        self.images = images
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(labId, forKey: .labId)
        try container.encode(pinnedAt, forKey: .pinnedAt)
        try container.encode(Dictionary(uniqueKeysWithValues: images.map { ($0.key.description, $0.value) }), forKey: .images)
    }
}
