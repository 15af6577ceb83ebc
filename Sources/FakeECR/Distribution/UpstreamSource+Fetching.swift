import Foundation

extension UpstreamSource {
    /// The manifest `reference` (a tag or a digest) of the image at `path`, as a client pulls it:
    /// anonymous token flow for a registry, `index.json` names for an OCI layout. For `labcheck pin`.
    public func fetchManifest(path: String, reference: String) async throws -> (data: Data, mediaType: String, digest: String) {
        let parsed: ManifestReference = reference.hasPrefix("sha256:") ? .digest(reference) : .tag(reference)
        do {
            let manifest = try await fetcher.manifest(path: path, reference: parsed)
            if case .digest(let wanted) = parsed, manifest.digest != wanted {
                throw UpstreamFetchError(description: "\(self) served \(manifest.digest) for \(path)@\(wanted)")
            }
            return (manifest.data, manifest.mediaType, manifest.digest)
        } catch let failure as UpstreamFailure {
            throw UpstreamFetchError(failure)
        }
    }

    /// The blob `digest` of the image at `path`.
    public func fetchBlob(path: String, digest: String) async throws -> Data {
        do {
            return try await fetcher.blob(path: path, digest: digest)
        } catch {
            throw UpstreamFetchError(error)
        }
    }
}

/// Why an upstream image could not be read.
public struct UpstreamFetchError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(description: String) { self.description = description }

    init(_ failure: UpstreamFailure) {
        switch failure {
        case .notFound(let text), .unavailable(let text): description = text
        }
    }
}
