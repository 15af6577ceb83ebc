import Foundation

/// An image manifest or index (Docker schema 1 and 2, OCI) as the fake reads it: parsed once per
/// push, into the fields both planes and the pull through cache use.
///
/// Parsing is lenient, as a JSON object read field by field: a field of an unexpected type reads as
/// absent (a `size` that is not a number counts 0, `layers` that are not all objects are no layers),
/// and only a body that is not a JSON object fails to parse.
struct ImageManifest: Sendable, Equatable {
    /// A content descriptor: the config, a layer, or a manifest of an index.
    struct Descriptor: Sendable, Equatable {
        var mediaType: String?
        var digest: String?
        var size: Int64
        /// Whether the descriptor has `urls` (a non-distributable layer, fetched from elsewhere).
        var hasURLs: Bool
        var annotations: [String: String]?
    }

    var schemaVersion: Int?
    /// The `mediaType` field, when the manifest has one.
    var mediaType: String?
    /// The config descriptor, when `config` is an object.
    var config: Descriptor?
    /// Whether the manifest has a `config` member at all.
    var hasConfig: Bool
    var layers: [Descriptor]
    /// The entries of an index (`manifests`); nil when it is not an array of objects.
    var manifests: [Descriptor]?
    /// Whether `manifests` is an array (of anything).
    var hasManifestArray: Bool
    /// Whether the manifest has a `manifests` member at all.
    var hasManifests: Bool

    /// The manifest in `data`; nil when it is not a JSON object.
    static func parse(_ data: Data) -> ImageManifest? {
        try? decoder.decode(ImageManifest.self, from: data)
    }

    private static let decoder = JSONDecoder()

    /// The media type of the `mediaType` field, or, without one, the type its shape implies.
    var inferredMediaType: String? {
        if let mediaType { return mediaType }
        if hasManifests { return ManifestMediaTypes.ociIndex }
        if hasConfig { return ManifestMediaTypes.ociManifest }
        return nil
    }

    /// The config's media type (ECR's `artifactMediaType`).
    var configMediaType: String? { config?.mediaType }

    /// What ECR reports as the image size: config plus layers (or the sum of an index's manifests);
    /// for a Docker schema 1 manifest, which has no sizes, the manifest's own length in bytes.
    func sizeInBytes(manifestByteCount: Int) -> Int64 {
        let size = (config?.size ?? 0) + layers.reduce(0) { $0 + $1.size } + (manifests ?? []).reduce(0) { $0 + $1.size }
        if size == 0, schemaVersion == 1 { return Int64(manifestByteCount) }
        return size
    }

    /// The config and layers, the blobs an image manifest references.
    var blobDescriptors: [Descriptor] {
        (config.map { [$0] } ?? []) + layers
    }

    /// The digests of the blobs a push needs visible in its repository: the config and the
    /// layers, except non-distributable ones (with `urls`, fetched from elsewhere).
    var blobDigests: [String] {
        blobDescriptors.filter { !$0.hasURLs }.compactMap(\.digest)
    }

    /// The digests of the manifests an index references.
    var childDigests: [String] { (manifests ?? []).compactMap(\.digest) }
}

extension ImageManifest: Decodable {
    private enum Key: String, CodingKey {
        case schemaVersion, mediaType, config, layers, manifests
    }

    /// Any JSON value, read and ignored (to tell an array from other values).
    private struct AnyValue: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        schemaVersion = container.lenient(Int.self, .schemaVersion)
        mediaType = container.lenient(String.self, .mediaType)
        config = container.lenient(Descriptor.self, .config)
        hasConfig = container.contains(.config)
        layers = container.lenient([Descriptor].self, .layers) ?? []
        manifests = container.lenient([Descriptor].self, .manifests)
        hasManifestArray = container.lenient([AnyValue].self, .manifests) != nil
        hasManifests = container.contains(.manifests)
    }
}

extension ImageManifest.Descriptor: Decodable {
    private enum Key: String, CodingKey {
        case mediaType, digest, size, urls, annotations
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        mediaType = container.lenient(String.self, .mediaType)
        digest = container.lenient(String.self, .digest)
        if let whole = container.lenient(Int64.self, .size) {
            size = whole
        } else {
            size = container.lenient(Double.self, .size).flatMap { Int64(exactly: $0.rounded(.towardZero)) } ?? 0
        }
        hasURLs = container.contains(.urls)
        annotations = container.lenient([String: String].self, .annotations)
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`; nil when it is absent, null or of another type.
    fileprivate func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}
