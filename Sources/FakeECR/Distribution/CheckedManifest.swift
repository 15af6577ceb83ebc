import ECRWire
import Foundation

/// A manifest that passed the distribution API's checks, parsed once: its exact text, digest,
/// content and media type (from `Content-Type`, or else from the manifest itself).
struct CheckedManifest: Sendable {
    var text: String
    var digest: String
    var content: ImageManifest
    var mediaType: String

    /// Checks `data` as the body of a manifest PUT (or an upstream's manifest); MANIFEST_INVALID otherwise.
    init(_ data: Data, contentType: String?) throws(DistributionError) {
        guard !data.isEmpty else { throw .manifestInvalid("The manifest is empty") }
        guard let text = String(data: data, encoding: .utf8), Data(text.utf8) == data else {
            throw .manifestInvalid("The manifest is not valid UTF-8 JSON")
        }
        guard let content = ImageManifest.parse(data) else { throw .manifestInvalid("The manifest is not a JSON object") }
        let field = content.mediaType
        let header = contentType.map(ManifestMediaTypes.bare)
        let mediaType: String
        if let header, ManifestMediaTypes.isKnown(header) {
            if let field, field != header {
                throw .manifestInvalid("The manifest's mediaType '\(field)' does not match the Content-Type '\(header)'")
            }
            mediaType = header
        } else if let inferred = content.inferredMediaType, ManifestMediaTypes.isKnown(inferred) {
            mediaType = inferred
        } else {
            throw .manifestInvalid(
                "Unsupported manifest media type '\(field ?? header ?? "none")': expected one of \(ManifestMediaTypes.all.joined(separator: ", "))")
        }
        if let problem = content.shapeProblem(as: mediaType) { throw .manifestInvalid("The manifest is invalid: \(problem)") }
        self.text = text
        digest = ContentDigest.of(data)
        self.content = content
        self.mediaType = mediaType
    }

    var isImage: Bool { ManifestMediaTypes.images.contains(mediaType) }
    var isIndex: Bool { ManifestMediaTypes.indexes.contains(mediaType) }

    /// This manifest pushed under `tag` (nil: untagged) at `date`.
    func push(tag: String?, at date: Date) -> ImagePush {
        ImagePush(manifest: text, digest: digest, parsed: content, mediaType: mediaType, tag: tag, pushedAt: date)
    }
}
