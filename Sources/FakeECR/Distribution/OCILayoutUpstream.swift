import ECRWire
import Foundation

/// An OCI image layout directory as an upstream: `index.json` entries annotated with
/// `org.opencontainers.image.ref.name` = `<upstream path>:<tag>` (or just `<tag>`), blobs under
/// `blobs/sha256/<hex>`.
struct OCILayoutUpstream: UpstreamFetcher {
    let directory: URL
    static let refNameAnnotation = "org.opencontainers.image.ref.name"

    private struct Entry {
        var digest: String
        var mediaType: String?
        var refName: String?
    }

    private func entries() throws(UpstreamFailure) -> [Entry] {
        let url = directory.appendingPathComponent("index.json")
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unavailable("cannot read the OCI layout index \(url.path): \(error.localizedDescription)")
        }
        guard let manifests = ImageManifest.parse(data)?.manifests else {
            throw .unavailable("\(url.path) is not an OCI image index (no 'manifests' array)")
        }
        return manifests.compactMap { entry in
            guard let digest = entry.digest else { return nil }
            return Entry(digest: digest, mediaType: entry.mediaType, refName: entry.annotations?[Self.refNameAnnotation])
        }
    }

    func manifest(path: String, reference: ManifestReference) async throws(UpstreamFailure) -> UpstreamManifest {
        let entries = try entries()
        let digest: String
        var mediaType: String?
        switch reference {
        case .tag(let tag):
            guard let entry = entries.first(where: { $0.refName == "\(path):\(tag)" }) ?? entries.first(where: { $0.refName == tag }) else {
                throw .notFound("the OCI layout \(directory.path) has no image '\(path):\(tag)'")
            }
            digest = entry.digest
            mediaType = entry.mediaType
        case .digest(let wanted):
            digest = wanted
            mediaType = entries.first { $0.digest == wanted }?.mediaType
        }
        let data = try blob(digest: digest, what: "manifest")
        if mediaType == nil { mediaType = ImageManifest.parse(data)?.inferredMediaType }
        return UpstreamManifest(data: data, mediaType: mediaType ?? ManifestMediaTypes.ociManifest, digest: digest)
    }

    func blob(path: String, digest: String) async throws(UpstreamFailure) -> Data {
        try blob(digest: digest, what: "blob")
    }

    private func blob(digest: String, what: String) throws(UpstreamFailure) -> Data {
        guard let hex = ContentDigest.hex(digest) else { throw .unavailable("the OCI layout \(directory.path) names a malformed digest '\(digest.prefix(80))'") }
        let url = directory.appendingPathComponent("blobs/sha256/\(hex)")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .notFound("the OCI layout \(directory.path) has no \(what) \(digest)")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .unavailable("cannot read \(url.path): \(error.localizedDescription)")
        }
    }
}
