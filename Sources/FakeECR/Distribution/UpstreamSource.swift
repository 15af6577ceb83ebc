import Foundation

/// A local stand-in for an upstream registry of pull through cache rules (the fake is offline):
/// a registry speaking the distribution API (e.g. `docker-registry` on 127.0.0.1), or an OCI
/// image layout directory whose `index.json` names images by `org.opencontainers.image.ref.name`
/// (`<upstream path>:<tag>`, or just `<tag>`).
public enum UpstreamSource: Sendable, Equatable, CustomStringConvertible {
    /// `http://127.0.0.1:5000` or `https://…`: anonymous pulls, following a Bearer challenge if asked.
    case registry(URL)
    /// An OCI image layout directory (`oci-layout`, `index.json`, `blobs/sha256/`).
    case ociLayout(URL)

    /// Parses `http://HOST:PORT`, `https://…` or `oci:DIR` (a relative DIR is taken from the current directory).
    public init(parsing text: String) throws {
        if text.hasPrefix("oci:") {
            let path = String(text.dropFirst(4))
            guard !path.isEmpty else { throw UpstreamSourceError("'\(text)': expected oci:DIR, a directory holding an OCI image layout") }
            self = .ociLayout(URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL)
            return
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw UpstreamSourceError("'\(text)': expected http://HOST:PORT, https://HOST[:PORT] or oci:DIR")
        }
        self = .registry(url)
    }

    /// Parses `REGISTRY=SOURCE`, e.g. `public.ecr.aws=oci:fixtures/upstream/public.ecr.aws` (the `--upstream` flag).
    public static func parseMapping(_ text: String) throws -> (registry: String, source: UpstreamSource) {
        guard let equals = text.firstIndex(of: "=") else {
            throw UpstreamSourceError("'\(text)': expected REGISTRY=SOURCE, e.g. public.ecr.aws=http://127.0.0.1:5000 or registry.k8s.io=oci:DIR")
        }
        let registry = String(text[..<equals]).trimmingCharacters(in: .whitespaces).lowercased()
        guard !registry.isEmpty, !registry.contains("/") else {
            throw UpstreamSourceError("'\(text)': the registry before '=' must be a host name such as public.ecr.aws")
        }
        return (registry, try UpstreamSource(parsing: String(text[text.index(after: equals)...])))
    }

    public var description: String {
        switch self {
        case .registry(let url): return url.absoluteString
        case .ociLayout(let url): return "oci:" + url.path
        }
    }
}

/// A malformed upstream mapping.
public struct UpstreamSourceError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The upstream stand-ins of one fake, by upstream registry URL (`public.ecr.aws`).
actor UpstreamDirectory {
    private var sources: [String: UpstreamSource] = [:]

    init(_ initial: [String: UpstreamSource] = [:]) {
        for (registry, source) in initial { sources[Self.normalize(registry)] = source }
    }

    /// Environment variable read when a fake starts: `REGISTRY=SOURCE` mappings separated by
    /// commas, e.g. `public.ecr.aws=oci:fixtures/upstream/public.ecr.aws,registry.k8s.io=http://127.0.0.1:5000`.
    static let environmentVariable = "FAKE_ECR_UPSTREAMS"

    /// The mappings of `FAKE_ECR_UPSTREAMS`, and the problems of malformed entries.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ([String: UpstreamSource], [String]) {
        var sources: [String: UpstreamSource] = [:]
        var problems: [String] = []
        for entry in (environment[environmentVariable] ?? "").split(separator: ",") where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let mapping = try UpstreamSource.parseMapping(entry.trimmingCharacters(in: .whitespaces))
                sources[mapping.registry] = mapping.source
            } catch {
                problems.append("\(environmentVariable): \(error)")
            }
        }
        return (sources, problems)
    }

    func set(_ registry: String, _ source: UpstreamSource?) {
        sources[Self.normalize(registry)] = source
    }

    func source(for registry: String) -> UpstreamSource? { sources[Self.normalize(registry)] }

    func all() -> [String: UpstreamSource] { sources }

    static func normalize(_ registry: String) -> String {
        var text = registry.lowercased()
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text = String(text.dropFirst(scheme.count)) }
        while text.hasSuffix("/") { text = String(text.dropLast()) }
        return text
    }
}

/// A manifest fetched from an upstream, digest-checked.
struct UpstreamManifest: Sendable {
    var data: Data
    var mediaType: String
    var digest: String
}

/// Why an upstream fetch failed.
enum UpstreamFailure: Error, Sendable {
    /// The upstream answered, and has no such image or blob.
    case notFound(String)
    /// The upstream could not be reached or answered nonsense.
    case unavailable(String)
}

/// Fetching manifests and blobs from an upstream stand-in.
protocol UpstreamFetcher: Sendable {
    func manifest(path: String, reference: ManifestReference) async throws(UpstreamFailure) -> UpstreamManifest
    func blob(path: String, digest: String) async throws(UpstreamFailure) -> Data
}

extension UpstreamSource {
    var fetcher: any UpstreamFetcher {
        switch self {
        case .registry(let url): return DistributionUpstream(base: url)
        case .ociLayout(let url): return OCILayoutUpstream(directory: url)
        }
    }
}
