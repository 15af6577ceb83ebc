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
extension DistributionPlane {
    func pullThrough(
        _ key: RegistryKey, _ name: String, tag: String, rule: PullThroughCacheRuleRecord, upstreamPath: String, note: TrailNote
    ) async throws -> ImageRecord? {
        guard let source = await upstreams.source(for: rule.upstreamRegistryUrl) else {
            throw DistributionError.unavailable(
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
            let topManifest = try Self.checkedUpstream(top, expected: nil, what: upstreamName)
            var children: [CheckedManifest] = []
            if topManifest.isIndex {
                for entry in topManifest.content.manifests ?? [] {
                    guard let digest = entry.digest else { continue }
                    var child = try await fetcher.manifest(path: path, reference: .digest(digest))
                    if let mediaType = entry.mediaType { child.mediaType = mediaType }
                    let checked = try Self.checkedUpstream(child, expected: digest, what: "\(upstreamName) (\(digest))")
                    try await cacheBlobs(of: checked, fetcher: fetcher, path: path)
                    children.append(checked)
                }
            } else {
                try await cacheBlobs(of: topManifest, fetcher: fetcher, path: path)
            }
            let now = Date().wholeMilliseconds
            if try store.ensureRepository(key, name, now: now) { note.createdRepository = true }
            let cached = ([topManifest] + children).flatMap(\.content.blobDigests)
            try store.addBlobs(key, name, cached)
            for child in children {
                try store.putManifest(key, name, child.push(tag: nil, at: now))
            }
            try store.putManifest(key, name, topManifest.push(tag: tag, at: now))
            logger.info("pull through cache: stored \(upstreamName) as \(key.registryHost)/\(name):\(tag) (\(top.digest))")
        } catch let failure as UpstreamFailure {
            switch failure {
            case .notFound(let reason):
                logger.info("pull through cache: \(upstreamName) not found upstream: \(reason)")
                return nil
            case .unavailable(let reason):
                throw DistributionError.unavailable("The upstream registry '\(rule.upstreamRegistryUrl)' of the pull through cache rule '\(rule.ecrRepositoryPrefix)' failed: \(reason)")
            }
        }
        return try store.image(key, name, .tag(tag))
    }

    /// An upstream manifest whose bytes match `expected` (when given), checked as a push would be.
    static func checkedUpstream(_ manifest: UpstreamManifest, expected: String?, what: String) throws -> CheckedManifest {
        let actual = ContentDigest.of(manifest.data)
        if let expected, actual != expected {
            throw UpstreamFailure.unavailable("the manifest of \(what) has the digest \(actual), not \(expected)")
        }
        do {
            return try CheckedManifest(manifest.data, contentType: manifest.mediaType)
        } catch {
            throw UpstreamFailure.unavailable("the manifest of \(what) is not usable: \(error.message)")
        }
    }

    /// Fetches the config and layers of an image manifest that the blob store lacks.
    private func cacheBlobs(of manifest: CheckedManifest, fetcher: any UpstreamFetcher, path: String) async throws {
        guard manifest.isImage else { return }
        for descriptor in manifest.content.blobDescriptors where !descriptor.hasURLs {
            guard let digest = descriptor.digest, ContentDigest.isValid(digest) else {
                throw UpstreamFailure.unavailable("a manifest of '\(path)' has a descriptor without a sha256 digest")
            }
            if try blobs.size(of: digest) != nil { continue }
            let data = try await fetcher.blob(path: path, digest: digest)
            let actual = ContentDigest.of(data)
            guard actual == digest else { throw UpstreamFailure.unavailable("the blob \(digest) of '\(path)' has the digest \(actual)") }
            try blobs.write(data, digest: digest)
        }
    }
}
