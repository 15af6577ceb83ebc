import Foundation

/// A `/v2/` path, parsed from the right so that repository names may hold slashes.
enum DistributionRoute: Equatable, Sendable {
    /// `/v2/`
    case base
    /// `/v2/<name>/tags/list`
    case tags(name: String)
    /// `/v2/<name>/manifests/<reference>`
    case manifest(name: String, reference: String)
    /// `/v2/<name>/blobs/<digest>`
    case blob(name: String, digest: String)
    /// `/v2/<name>/blobs/uploads/`
    case startUpload(name: String)
    /// `/v2/<name>/blobs/uploads/<id>`
    case upload(name: String, id: String)
    /// `/v2/<name>/referrers/<digest>` (OCI 1.1)
    case referrers(name: String, digest: String)

    /// nil when the path is no registry API.
    init?(path: String) {
        guard path == "/v2" || path.hasPrefix("/v2/") else { return nil }
        let rest = path.dropFirst(path == "/v2" ? 3 : 4)
        if rest.isEmpty {
            self = .base
            return
        }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let n = parts.count
        func name(dropping count: Int) -> String? {
            guard n > count else { return nil }
            return parts[..<(n - count)].joined(separator: "/")
        }
        if n >= 3, parts[n - 2] == "tags", parts[n - 1] == "list", let name = name(dropping: 2) {
            self = .tags(name: name)
        } else if n >= 4, parts[n - 3] == "blobs", parts[n - 2] == "uploads", let name = name(dropping: 3) {
            self = parts[n - 1].isEmpty ? .startUpload(name: name) : .upload(name: name, id: parts[n - 1])
        } else if n >= 3, parts[n - 2] == "blobs", parts[n - 1] == "uploads", let name = name(dropping: 2) {
            self = .startUpload(name: name)
        } else if n >= 3, parts[n - 2] == "manifests", !parts[n - 1].isEmpty, let name = name(dropping: 2) {
            self = .manifest(name: name, reference: parts[n - 1])
        } else if n >= 3, parts[n - 2] == "blobs", !parts[n - 1].isEmpty, let name = name(dropping: 2) {
            self = .blob(name: name, digest: parts[n - 1])
        } else if n >= 3, parts[n - 2] == "referrers", !parts[n - 1].isEmpty, let name = name(dropping: 2) {
            self = .referrers(name: name, digest: parts[n - 1])
        } else {
            return nil
        }
    }

    var repositoryName: String? {
        switch self {
        case .base: return nil
        case .tags(let name), .manifest(let name, _), .blob(let name, _), .startUpload(let name), .upload(let name, _),
            .referrers(let name, _):
            return name
        }
    }
}
