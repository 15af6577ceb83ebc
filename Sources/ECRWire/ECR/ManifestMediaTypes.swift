import Foundation

/// The manifest media types ECR stores and serves: the one list that the fake's PutImage, `/v2/`
/// manifest PUT and pull through cache accept, and that the checker asks BatchGetImage for.
public enum ManifestMediaTypes {
    public static let dockerV2 = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let dockerV1 = "application/vnd.docker.distribution.manifest.v1+json"
    public static let dockerV1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    /// Every known type, in the order an `Accept` header lists them.
    public static let all: [String] = [ociIndex, dockerList, ociManifest, dockerV2, dockerV1Signed, dockerV1]
    public static let indexes: Set<String> = [ociIndex, dockerList]
    public static let images: Set<String> = [ociManifest, dockerV2]

    public static func isKnown(_ mediaType: String) -> Bool { all.contains(mediaType) }

    /// A media type without parameters (`; charset=utf-8`), lowercased.
    public static func bare(_ value: String) -> String {
        (value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value).trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// What a client that reads every kind asks BatchGetImage for (`acceptedMediaTypes`).
    public static let accepted: [String] = [ociIndex, dockerList, ociManifest, dockerV2]
}
