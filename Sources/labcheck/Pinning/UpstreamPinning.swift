import Checks
import FakeECR
import Foundation

/// Pins the upstream images a spec compares with (`sameAs`) from their registries, or from stand-ins
/// (`--upstream public.ecr.aws=oci:DIR`, the syntax fake-ecr uses): `labcheck pin`, the demo and
/// verify-lab all pin here.
enum UpstreamPinning {
    /// The upstream references of a spec's `sameAs` checks, sorted.
    static func references(in spec: LabSpec) -> [ImageReference] {
        Set(spec.steps.compactMap { step -> ImageReference? in
            if case .imageTagPresent(let check) = step.check { return check.sameAs }
            return nil
        }).sorted()
    }

    /// Pins every reference of `spec`, each from `sources[registry]` or, without one, the registry itself over HTTPS.
    static func pin(_ spec: LabSpec, sources: [String: UpstreamSource], now: Date = Date()) async throws -> UpstreamPins {
        var images: [ImageReference: UpstreamPins.Image] = [:]
        for reference in references(in: spec) {
            let source = try sources[reference.registry] ?? UpstreamSource(parsing: "https://\(reference.registry)")
            images[reference] = try await UpstreamPinner.pin(
                reference, source: label(source),
                manifest: { tagOrDigest in
                    let fetched = try await source.fetchManifest(path: reference.path, reference: tagOrDigest)
                    return FetchedManifest(data: fetched.data, mediaType: fetched.mediaType, digest: fetched.digest)
                },
                blob: { digest in try await source.fetchBlob(path: reference.path, digest: digest) })
        }
        return UpstreamPins(labId: spec.id, pinnedAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)), images: images)
    }

    /// How a pins file names where an image was pinned from: a layout inside the working folder by its
    /// relative path, so a committed pins file does not hold one machine's paths.
    static func label(_ source: UpstreamSource) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        if case .ociLayout(let url) = source, url.path.hasPrefix(cwd) { return "oci:" + String(url.path.dropFirst(cwd.count)) }
        return source.description
    }

    /// `REGISTRY=SOURCE` mappings as given to `--upstream`.
    static func sources(_ mappings: [String]) throws -> [String: UpstreamSource] {
        var sources: [String: UpstreamSource] = [:]
        for mapping in mappings {
            do {
                let parsed = try UpstreamSource.parseMapping(mapping)
                sources[parsed.registry] = parsed.source
            } catch {
                throw CLIError.badInput("--upstream \(mapping): \(error)")
            }
        }
        return sources
    }

    /// OCI-layout stand-ins for every registry folder under `directory` (`fixtures/upstream/public.ecr.aws`).
    static func layoutSources(in directory: URL) throws -> [String: UpstreamSource] {
        try UpstreamStandIns.layouts(in: directory).mapValues(UpstreamSource.ociLayout)
    }
}
