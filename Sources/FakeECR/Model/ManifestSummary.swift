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
        var sizes = [config?["size"]]
        sizes += (object["layers"] as? [[String: Any]] ?? []).map { $0["size"] }
        sizes += (object["manifests"] as? [[String: Any]] ?? []).map { $0["size"] }
        // The sizes are the client's word: their sum stops at Int64.max instead of overflowing.
        var size: Int64 = 0
        for value in sizes {
            let (sum, overflow) = size.addingReportingOverflow(Self.size(value))
            size = overflow ? .max : sum
        }
        if size == 0, object["schemaVersion"] as? Int == 1 {
            // Docker schema 1: no sizes in the manifest; ECR reports the manifest's own length.
            size = Int64(bytes.count)
        }
        sizeInBytes = size
    }

    public static func digest(of bytes: Data) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// A descriptor's `size`; 0 when it is not a number, is negative, or is not a whole number of bytes an
    /// Int64 can hold (`1e300` would trap in `Int64(_:)`).
    private static func size(_ value: Any?) -> Int64 {
        let size: Int64
        if let value = value as? Int64 {
            size = value
        } else if let value = value as? Int {
            size = Int64(value)
        } else if let value = value as? Double {
            size = Int64(exactly: value.rounded(.towardZero)) ?? 0
        } else if let value = value as? NSNumber {
            size = value.int64Value
        } else {
            size = 0
        }
        return max(size, 0)
    }
}
