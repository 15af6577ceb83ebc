import Crypto
import Foundation

/// What the fake reads from an image manifest: its digest, media type and size.
public struct ManifestSummary: Sendable, Equatable {
    /// `sha256:<hex>` of the manifest's bytes.
    public var digest: String
    /// The `mediaType` field, when the manifest has one.
    public var mediaType: String?
    /// The config's media type (ECR's `artifactMediaType`).
    public var configMediaType: String?
    /// Size of the config plus the layers (or the sum of the referenced manifests of an index).
    public var sizeInBytes: Int64
    /// Whether the text parsed as a JSON object.
    public var isJSON: Bool

    public init(manifest: String) {
        let bytes = Data(manifest.utf8)
        digest = Self.digest(of: bytes)
        guard let object = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] else {
            mediaType = nil; configMediaType = nil; sizeInBytes = 0; isJSON = false
            return
        }
        isJSON = true
        mediaType = object["mediaType"] as? String
        let config = object["config"] as? [String: Any]
        configMediaType = config?["mediaType"] as? String
        var size = Self.size(config?["size"])
        for layer in object["layers"] as? [[String: Any]] ?? [] { size += Self.size(layer["size"]) }
        for entry in object["manifests"] as? [[String: Any]] ?? [] { size += Self.size(entry["size"]) }
        if size == 0, object["schemaVersion"] as? Int == 1 {
            // Docker schema 1: no sizes in the manifest; ECR reports the manifest's own length.
            size = Int64(bytes.count)
        }
        sizeInBytes = size
    }

    public static func digest(of bytes: Data) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    private static func size(_ value: Any?) -> Int64 {
        if let value = value as? Int64 { return value }
        if let value = value as? Int { return Int64(value) }
        if let value = value as? Double { return Int64(value) }
        if let value = value as? NSNumber { return value.int64Value }
        return 0
    }
}
