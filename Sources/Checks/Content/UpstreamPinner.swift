import Foundation

/// Pins one upstream image from its registry: the manifest the tag resolves to and, for an index,
/// each platform manifest, with the config digest of each. The fetching is the caller's (a registry
/// client, an OCI layout); this only reads what was fetched.
public enum UpstreamPinner {
    /// - Parameters:
    ///   - manifest: fetches the manifest of the image's path by tag or digest.
    ///   - blob: fetches a blob of the image's path by digest (the config, for a single manifest's platform).
    public static func pin(
        _ reference: ImageReference, source: String,
        manifest: (String) async throws -> FetchedManifest, blob: (String) async throws -> Data
    ) async throws -> UpstreamPins.Image {
        let top = try await manifest(reference.tag)
        guard let parsed = ManifestDigests.parse(top.data) else {
            throw PinError(reference: reference, problem: "the manifest of \(reference) (\(top.digest)) is not JSON of a manifest")
        }
        var platforms: [UpstreamPins.Platform] = []
        if parsed.isIndex {
            for child in parsed.manifests ?? [] {
                // Attestations (docker buildx) are listed with platform unknown/unknown: not images to run.
                if child.platform?.os == "unknown" { continue }
                let fetched = try await manifest(child.digest)
                guard let config = ManifestDigests.parse(fetched.data)?.config?.digest else {
                    throw PinError(reference: reference, problem: "platform manifest \(child.digest) of \(reference) has no config")
                }
                platforms.append(.init(platform: child.platform?.name ?? "unknown", manifestDigest: fetched.digest, configDigest: config))
            }
        } else if let config = parsed.config?.digest {
            let platform = (try? JSONDecoder().decode(ManifestDigests.Descriptor.Platform.self, from: try await blob(config)))?.name ?? "unknown"
            platforms.append(.init(platform: platform, manifestDigest: top.digest, configDigest: config))
        } else {
            throw PinError(reference: reference, problem: "the manifest of \(reference) (\(top.digest)) has neither a config nor platform manifests")
        }
        guard !platforms.isEmpty else { throw PinError(reference: reference, problem: "the index of \(reference) lists no platform image") }
        return UpstreamPins.Image(digest: top.digest, mediaType: top.mediaType, source: source, platforms: platforms)
    }
}

/// Why an upstream image could not be pinned.
public struct PinError: Error, Sendable, CustomStringConvertible {
    public var reference: ImageReference
    public var problem: String
    public var description: String { problem }
}
