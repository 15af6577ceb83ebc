import ECRWire
import Foundation
import Hummingbird

/// `GET /v2/<name>/referrers/<digest>` (OCI distribution-spec 1.1): an image index of the
/// manifests whose `subject` is `<digest>`, filtered by `artifactType` when asked (the answer then
/// carries `OCI-Filters-Applied: artifactType`). A subject with no referrers, or not there at all,
/// has an empty index.
extension DistributionPlane {
    func listReferrers(_ key: RegistryKey, _ name: String, _ digest: String, query: [String: String], requestId: String) async throws -> Response {
        try ContentDigest.validate(digest)
        let artifactType = query["artifactType"].flatMap { $0.isEmpty ? nil : $0 }
        let referrers = try store.read(key) { state in
            guard let record = state.repositories[name] else { throw DistributionError.nameUnknown(name, key.accountId) }
            return record.referrers(of: digest, artifactTypes: artifactType.map { [$0] })
        }
        let index = ReferrersIndex(manifests: referrers.map {
            ReferrersIndex.Descriptor(mediaType: $0.mediaType, digest: $0.digest, size: $0.size, artifactType: $0.artifactType, annotations: $0.annotations)
        })
        var headers = [("Content-Type", ManifestMediaTypes.ociIndex)]
        if artifactType != nil { headers.append(("OCI-Filters-Applied", "artifactType")) }
        return reply(.ok, headers: headers, body: try Self.jsonEncoder.encode(index), requestId: requestId)
    }

    /// The body of a referrers answer: an OCI image index.
    struct ReferrersIndex: Encodable {
        struct Descriptor: Encodable {
            var mediaType: String
            var digest: String
            var size: Int64
            var artifactType: String?
            var annotations: [String: String]?
        }
        var schemaVersion = 2
        var mediaType = ManifestMediaTypes.ociIndex
        var manifests: [Descriptor]
    }
}
