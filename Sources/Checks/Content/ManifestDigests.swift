import Foundation

/// The digests a manifest refers to, read from its JSON: an image manifest's config, or an index's
/// (manifest list's) platform manifests. Anything else in the manifest is ignored.
public struct ManifestDigests: Decodable, Sendable, Hashable {
    public struct Descriptor: Decodable, Sendable, Hashable {
        public struct Platform: Decodable, Sendable, Hashable {
            public var os: String?
            public var architecture: String?
            public var variant: String?

            /// `linux/amd64`, `linux/arm64/v8`.
            public var name: String {
                [os ?? "unknown", architecture ?? "unknown"].joined(separator: "/") + (variant.map { "/" + $0 } ?? "")
            }
        }

        public var digest: String
        public var mediaType: String?
        public var platform: Platform?
    }

    public var mediaType: String?
    public var config: Descriptor?
    public var manifests: [Descriptor]?

    /// An index or manifest list: it names platform manifests instead of a config.
    public var isIndex: Bool { manifests != nil && config == nil }

    public static func parse(_ data: Data) -> ManifestDigests? {
        try? JSONDecoder().decode(ManifestDigests.self, from: data)
    }
}

/// A manifest as a registry serves it: its bytes, media type and digest.
public struct FetchedManifest: Sendable {
    public var data: Data
    public var mediaType: String
    public var digest: String

    public init(data: Data, mediaType: String, digest: String) {
        self.data = data
        self.mediaType = mediaType
        self.digest = digest
    }
}
