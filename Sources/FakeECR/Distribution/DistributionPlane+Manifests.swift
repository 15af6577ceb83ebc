import ECRWire
import Foundation
import Hummingbird

/// Manifest pulls and pushes (`/v2/<name>/manifests/<reference>`). A push is checked here
/// (`CheckedManifest`, referenced blobs and manifests present) and stored by the model's rules.
extension DistributionPlane {
    func getManifest(
        _ key: RegistryKey, _ name: String, _ reference: ManifestReference, request: Request, note: TrailNote, requestId: String,
        caller: AccessPrincipal, sourceIp: String? = nil
    ) async throws -> Response {
        var image: ImageRecord?
        let rule = try store.cacheRule(key, for: name)
        let exists = try store.repositoryExists(key, name)
        if exists {
            image = try store.image(key, name, reference)
        } else if rule == nil {
            throw DistributionError.nameUnknown(name, key.accountId)
        }
        if image == nil, let rule, case .tag(let tag) = reference {
            // Filling the cache imports the upstream image, and creates the repository on first use.
            try await gate.authorize(caller, "BatchImportUpstreamImage", repository: name, in: key, from: sourceIp)
            if !exists { try await gate.authorize(caller, "CreateRepository", repository: name, in: key, from: sourceIp) }
            image = try await pullThrough(key, name, tag: tag, rule: rule.rule, upstreamPath: rule.upstreamPath, note: note)
        }
        guard let image else { throw DistributionError.manifestUnknown() }
        let accepted = Self.acceptedTypes(request.headers[values: .accept])
        if !accepted.isEmpty, !accepted.contains("*/*"), !accepted.contains(image.mediaType) {
            throw DistributionError.manifestUnknown(
                "The image's manifest media type '\(image.mediaType)' is not among the types the client accepts (\(accepted.joined(separator: ", ")))")
        }
        let data = Data(image.manifest.utf8)
        let headers = [("Content-Type", image.mediaType), ("Docker-Content-Digest", image.digest), ("Content-Length", String(data.count))]
        return reply(.ok, headers: headers, body: data, head: request.method == .head, requestId: requestId)
    }

    func putManifest(
        _ key: RegistryKey, _ name: String, _ reference: ManifestReference, request: Request, note: TrailNote, requestId: String
    ) async throws -> Response {
        guard try store.repositoryExists(key, name) else { throw DistributionError.nameUnknown(name, key.accountId) }
        let data: Data
        do {
            data = try await Data(request.body.collect(upTo: Self.maxManifestBytes).readableBytesView)
        } catch {
            throw DistributionError.manifestInvalid("The manifest is larger than \(Self.maxManifestBytes) bytes")
        }
        note.set("imageManifest", .string(String(decoding: data, as: UTF8.self)))
        let manifest = try CheckedManifest(data, contentType: request.headers[.contentType])
        note.set("imageManifestMediaType", .string(manifest.mediaType))
        try await checkReferences(of: manifest, key: key, name: name)
        var tag: String?
        switch reference {
        case .digest(let digest):
            guard digest == manifest.digest else {
                throw DistributionError.digestInvalid("The digest '\(digest)' in the URL does not match the manifest's digest '\(manifest.digest)'")
            }
        case .tag(let value): tag = value
        }
        try store.putManifest(key, name, manifest.push(tag: tag, at: Date().wholeMilliseconds))
        var headers = [("Location", "/v2/\(name)/manifests/\(manifest.digest)"), ("Docker-Content-Digest", manifest.digest)]
        // OCI 1.1: a registry with the referrers API says so by naming the subject of the manifest pushed.
        if let subject = manifest.content.subjectDigest { headers.append(("OCI-Subject", subject)) }
        return reply(.created, headers: headers, requestId: requestId)
    }

    /// The digests an image manifest or index references must be well-formed, and the blobs' bytes
    /// stored. Whether they are visible in the repository (uploaded there, child manifests pushed
    /// there) is the model's rule of a push (`RepositoryRecord.outcome(of:)`).
    func checkReferences(of manifest: CheckedManifest, key: RegistryKey, name: String) async throws {
        if manifest.isImage {
            for descriptor in manifest.content.blobDescriptors {
                guard let digest = descriptor.digest else { throw DistributionError.manifestInvalid("A descriptor of the manifest has no digest") }
                try ContentDigest.validate(digest)
                if descriptor.hasURLs { continue }  // non-distributable (foreign) layer
                guard try blobs.size(of: digest) != nil else { throw DistributionError.manifestBlobUnknown(digest, name) }
            }
        } else if manifest.isIndex {
            for entry in manifest.content.manifests ?? [] {
                guard let digest = entry.digest else { throw DistributionError.manifestInvalid("An entry of the index has no digest") }
                try ContentDigest.validate(digest)
            }
        }
    }

    /// The media types of `Accept` headers, without parameters.
    static func acceptedTypes(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { ManifestMediaTypes.bare(String($0)) }.filter { !$0.isEmpty }
    }
}
