import ECRWire
import Foundation

/// One referrer of an image (OCI 1.1): a manifest of the same repository whose `subject` is that
/// image, described as the referrers API lists it.
struct Referrer: Sendable, Equatable {
    var digest: String
    var mediaType: String
    var artifactType: String?
    /// The manifest's length in bytes.
    var size: Int64
    var annotations: [String: String]?
}

extension RepositoryRecord {
    /// The manifests of this repository whose subject is `digest`, in push order; with
    /// `artifactTypes`, only those of one of these types. The subject need not be here (OCI 1.1
    /// allows referrers pushed before, or without, their subject).
    func referrers(of digest: String, artifactTypes: [String]? = nil) -> [Referrer] {
        images.compactMap { image -> Referrer? in
            guard image.subjectManifestDigest == digest, let manifest = ImageManifest.parse(Data(image.manifest.utf8)) else { return nil }
            let type = manifest.referrerArtifactType
            if let artifactTypes, !artifactTypes.isEmpty, !artifactTypes.contains(where: { $0 == type }) { return nil }
            return Referrer(
                digest: image.digest, mediaType: image.mediaType, artifactType: type, size: Int64(image.manifest.utf8.count),
                annotations: manifest.annotations)
        }
    }
}
