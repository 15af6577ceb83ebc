import ECRWire
import Foundation

/// The pull through cache: a manifest pull of `<prefix>/<upstream path>:<tag>` that the cache
/// does not hold yet fetches the image from the rule's upstream stand-in (for an index, every
/// child manifest too; all blobs eagerly), creates the repository as ECR does, and stores it.
///
/// Errors, as a docker client sees them: an image the upstream does not have is
/// `MANIFEST_UNKNOWN` (404), as on ECR. An upstream that cannot be reached, or has no local
/// stand-in, is `UNAVAILABLE` (503) with the reason: ECR documents no wording for this case, and a
/// 5xx tells clients the failure is not the image's absence.
extension RegistryPlane {
    func pullThrough(
        _ key: RegistryKey, _ name: String, tag: String, rule: PullThroughCacheRuleRecord, upstreamPath: String
    ) async throws -> ImageRecord? {
        guard let source = await upstreams.source(for: rule.upstreamRegistryUrl) else {
            throw RegistryError.unavailable(
                "The pull through cache rule '\(rule.ecrRepositoryPrefix)' names the upstream registry '\(rule.upstreamRegistryUrl)', which this offline fake-ecr cannot reach: give it a local stand-in (fake-ecr serve --upstream \(rule.upstreamRegistryUrl)=http://HOST:PORT or =oci:DIR)")
        }
        var path = upstreamPath
        if let prefix = rule.upstreamRepositoryPrefix, prefix != "ROOT" {
            path = (prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix) + "/" + path
        }
        if rule.upstreamRegistry == .dockerHub, !path.contains("/") { path = "library/" + path }
        let fetcher = source.fetcher
        let upstreamName = "\(rule.upstreamRegistryUrl)/\(path):\(tag)"
        do {
            let top = try await fetcher.manifest(path: path, reference: .tag(tag))
            let (topText, topType) = try Self.checkedUpstream(top, expected: nil, what: upstreamName)
            var children: [(text: String, mediaType: String)] = []
            if ManifestMediaTypes.indexes.contains(topType) {
                for (digest, mediaType) in Self.childManifests(of: topText) {
                    var child = try await fetcher.manifest(path: path, reference: .digest(digest))
                    if let mediaType { child.mediaType = mediaType }
                    let checked = try Self.checkedUpstream(child, expected: digest, what: "\(upstreamName) (\(digest))")
                    try await cacheBlobs(of: checked.0, mediaType: checked.1, fetcher: fetcher, path: path)
                    children.append(checked)
                }
            } else {
                try await cacheBlobs(of: topText, mediaType: topType, fetcher: fetcher, path: path)
            }
            let now = Date().registryMilliseconds
            try await store.registryEnsureRepository(key, name, now: now)
            for child in children {
                try await store.registryPutManifest(
                    key, name, manifest: child.text, mediaType: child.mediaType, summary: ManifestSummary(manifest: child.text), tag: nil, now: now)
            }
            try await store.registryPutManifest(
                key, name, manifest: topText, mediaType: topType, summary: ManifestSummary(manifest: topText), tag: tag, now: now)
            logger.info("pull through cache: stored \(upstreamName) as \(key.registryHost)/\(name):\(tag) (\(top.digest))")
        } catch let failure as UpstreamFailure {
            switch failure {
            case .notFound(let reason):
                logger.info("pull through cache: \(upstreamName) not found upstream: \(reason)")
                return nil
            case .unavailable(let reason):
                throw RegistryError.unavailable("The upstream registry '\(rule.upstreamRegistryUrl)' of the pull through cache rule '\(rule.ecrRepositoryPrefix)' failed: \(reason)")
            }
        }
        return try await store.registryImage(key, name, .tag(tag))
    }

    /// Text and media type of an upstream manifest whose bytes match `expected` (when given).
    static func checkedUpstream(_ manifest: UpstreamManifest, expected: String?, what: String) throws -> (String, String) {
        let actual = RegistryDigest.of(manifest.data)
        if let expected, actual != expected {
            throw UpstreamFailure.unavailable("the manifest of \(what) has the digest \(actual), not \(expected)")
        }
        do {
            return try checkedManifest(manifest.data, contentType: manifest.mediaType)
        } catch {
            throw UpstreamFailure.unavailable("the manifest of \(what) is not usable: \(error.message)")
        }
    }

    /// Digests (and media types) of an index's manifests.
    static func childManifests(of text: String) -> [(String, String?)] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return [] }
        return (object["manifests"] as? [[String: Any]] ?? []).compactMap { entry in
            guard let digest = entry["digest"] as? String else { return nil }
            return (digest, entry["mediaType"] as? String)
        }
    }

    /// Fetches the config and layers of an image manifest that the blob store lacks.
    private func cacheBlobs(of text: String, mediaType: String, fetcher: any UpstreamFetcher, path: String) async throws {
        guard ManifestMediaTypes.images.contains(mediaType),
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        else { return }
        var descriptors = [object["config"] as? [String: Any] ?? [:]]
        descriptors += object["layers"] as? [[String: Any]] ?? []
        for descriptor in descriptors where descriptor["urls"] == nil {
            guard let digest = descriptor["digest"] as? String, RegistryDigest.isValid(digest) else {
                throw UpstreamFailure.unavailable("a manifest of '\(path)' has a descriptor without a sha256 digest")
            }
            if try blobs.size(of: digest) != nil { continue }
            let data = try await fetcher.blob(path: path, digest: digest)
            let actual = RegistryDigest.of(data)
            guard actual == digest else { throw UpstreamFailure.unavailable("the blob \(digest) of '\(path)' has the digest \(actual)") }
            try blobs.write(data, digest: digest)
        }
    }
}
