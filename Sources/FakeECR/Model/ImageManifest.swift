import ECRWire
import Foundation

/// An image manifest or index (Docker schema 1 and 2, OCI) as the fake reads it: parsed once per
/// push, into the fields both planes and the pull through cache use.
///
/// Parsing is lenient, as a JSON object read field by field: a field of an unexpected type reads as
/// absent (a `size` that is not a number counts 0, `layers` that are not all objects are no layers),
/// and only a body that is not a JSON object fails to parse. Whether the manifest has the shape its
/// media type requires is a separate question, `shapeProblem(as:)`, that every push asks.
/// Public, read-only, so that Fuzz/ fuzz-manifest reads manifests exactly as the fake does.
public struct ImageManifest: Sendable, Equatable {
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
    /// Whether the manifest has a `manifests` member at all.
    var hasManifests: Bool
    /// The manifest this one refers to (OCI 1.1 `subject`): it is one of that image's referrers.
    var subject: Descriptor?
    /// The `artifactType` field (OCI 1.1).
    var artifactType: String?
    /// The manifest's own `annotations`.
    var annotations: [String: String]?
    /// Which members are what the image and index specifications require (descriptors with a
    /// string `mediaType` and `digest` and an integer `size`).
    var wellFormed: WellFormed

    struct WellFormed: Sendable, Equatable {
        var config = false
        var layers = false
        var manifests = false
    }

    /// The manifest in `data`; nil when it is not a JSON object. Read from its parsed JSON
    /// (`init?(members:)`), or by `decoded(_:)` where that cannot be exact; the two agree.
    public static func parse(_ data: Data) -> ImageManifest? {
        guard let value = JSONValue(json: data) else { return decoded(data) }
        guard case .object(let members) = value else { return nil }
        return ImageManifest(members: members) ?? decoded(data)
    }

    /// The manifest as `JSONDecoder` reads it (`init(from:)`): the reference `parse` is held to
    /// (ImageManifestParsingTests, Fuzz/ fuzz-manifest).
    public static func decoded(_ data: Data) -> ImageManifest? {
        try? decoder.decode(ImageManifest.self, from: data)
    }

    private static let decoder = JSONDecoder()

    /// The media type of the `mediaType` field, or, without one, the type its shape implies.
    public var inferredMediaType: String? {
        if let mediaType { return mediaType }
        if hasManifests { return ManifestMediaTypes.ociIndex }
        if hasConfig { return ManifestMediaTypes.ociManifest }
        return nil
    }

    /// Why the manifest is not of the shape `mediaType` requires, nil when it is: an image manifest
    /// (Docker v2, OCI) has `schemaVersion` 2, a `config` descriptor and a `layers` array of
    /// descriptors; an index or list has `schemaVersion` 2 and a `manifests` array of descriptors.
    /// Docker schema 1 manifests are not checked.
    public func shapeProblem(as mediaType: String) -> String? {
        let isImage = ManifestMediaTypes.images.contains(mediaType), isIndex = ManifestMediaTypes.indexes.contains(mediaType)
        guard isImage || isIndex else { return nil }
        guard schemaVersion == 2 else { return "schemaVersion must be 2" }
        if isImage {
            guard wellFormed.config else { return "'config' must be a descriptor with a mediaType, a digest and a size" }
            guard wellFormed.layers else { return "'layers' must be an array of descriptors with a mediaType, a digest and a size" }
        } else if !wellFormed.manifests {
            return "'manifests' must be an array of descriptors with a mediaType, a digest and a size"
        }
        return nil
    }

    /// The config's media type (ECR's `artifactMediaType`).
    public var configMediaType: String? { config?.mediaType }

    /// What ECR reports as the image size: config plus layers; for an index, the largest of its
    /// manifests (the model's documentation: "the max size of all manifests in the list"; a push
    /// takes the largest of the child images' own sizes, `RepositoryRecord.store`); for a Docker
    /// schema 1 manifest, which has no sizes, the manifest's own length in bytes.
    public func sizeInBytes(manifestByteCount: Int) -> Int64 {
        if let manifests, !manifests.isEmpty { return manifests.map { max($0.size, 0) }.max() ?? 0 }
        // The sizes are the client's word: a negative one counts 0, and the sum stops at Int64.max instead of trapping.
        let sizes = [config?.size ?? 0] + layers.map(\.size)
        let size = sizes.reduce(Int64(0)) { total, next in
            let (sum, overflow) = total.addingReportingOverflow(max(next, 0))
            return overflow ? .max : sum
        }
        if size == 0, schemaVersion == 1 { return Int64(manifestByteCount) }
        return size
    }

    /// The config and layers, the blobs an image manifest references.
    var blobDescriptors: [Descriptor] {
        (config.map { [$0] } ?? []) + layers
    }

    /// The digests of the blobs a push needs visible in its repository: the config and the
    /// layers, except non-distributable ones (with `urls`, fetched from elsewhere).
    public var blobDigests: [String] {
        blobDescriptors.filter { !$0.hasURLs }.compactMap(\.digest)
    }

    /// The digest of the manifest this one refers to (its `subject`), when it has a well-formed one.
    public var subjectDigest: String? { subject?.digest }

    /// The artifact type a referrers listing shows: `artifactType`, or else the config's media
    /// type (OCI distribution-spec 1.1, "Listing Referrers").
    public var referrerArtifactType: String? { artifactType ?? config?.mediaType }

    /// The digests of the manifests an index references.
    public var childDigests: [String] { (manifests ?? []).compactMap(\.digest) }
}

extension ImageManifest: Decodable {
    private enum Key: String, CodingKey {
        case schemaVersion, mediaType, config, layers, manifests, subject, artifactType, annotations
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        schemaVersion = container.lenient(Int.self, .schemaVersion)
        mediaType = container.lenient(String.self, .mediaType)
        config = container.lenient(Descriptor.self, .config)
        hasConfig = container.contains(.config)
        layers = container.lenient([Descriptor].self, .layers) ?? []
        manifests = container.lenient([Descriptor].self, .manifests)
        hasManifests = container.contains(.manifests)
        subject = container.lenient(Descriptor.self, .subject)
        artifactType = container.lenient(String.self, .artifactType)
        annotations = container.lenient([String: String].self, .annotations)
        // An absent member is not well formed, asked without the decoder's thrown keyNotFound (an
        // error with its description built, for every push of an index or an image).
        wellFormed = WellFormed(
            config: hasConfig && (try? container.decode(StrictDescriptor.self, forKey: .config)) != nil,
            layers: container.contains(.layers) && (try? container.decode([StrictDescriptor].self, forKey: .layers)) != nil,
            manifests: hasManifests && (try? container.decode([StrictDescriptor].self, forKey: .manifests)) != nil)
    }

    /// A descriptor as the specifications require it, read only to tell whether one is.
    private struct StrictDescriptor: Decodable {
        var mediaType: String
        var digest: String
        var size: Int64
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
