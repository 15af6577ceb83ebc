import Foundation

/// The manifest media types the fake stores, serves and asks upstreams for: the one list that
/// PutImage, the `/v2/` manifest PUT and the pull through cache accept.
enum ManifestMediaTypes {
    static let dockerV2 = "application/vnd.docker.distribution.manifest.v2+json"
    static let dockerList = "application/vnd.docker.distribution.manifest.list.v2+json"
    static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    static let ociIndex = "application/vnd.oci.image.index.v1+json"
    static let dockerV1 = "application/vnd.docker.distribution.manifest.v1+json"
    static let dockerV1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    /// Every known type, in the order an `Accept` header lists them.
    static let all: [String] = [ociIndex, dockerList, ociManifest, dockerV2, dockerV1Signed, dockerV1]
    static let indexes: Set<String> = [ociIndex, dockerList]
    static let images: Set<String> = [ociManifest, dockerV2]

    static func isKnown(_ mediaType: String) -> Bool { all.contains(mediaType) }

    /// A media type without parameters (`; charset=utf-8`), lowercased.
    static func bare(_ value: String) -> String {
        (value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value).trimmingCharacters(in: .whitespaces).lowercased()
    }
}
