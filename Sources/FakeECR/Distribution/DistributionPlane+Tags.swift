import Foundation
import Hummingbird

/// `GET /v2/<name>/tags/list`, with `n` and `last` paging and a `Link` header.
extension DistributionPlane {
    func listTags(_ key: RegistryKey, _ name: String, query: [String: String], requestId: String) async throws -> Response {
        var tags = try store.allTags(key, name)
        if let last = query["last"] { tags = tags.filter { $0 > last } }
        var headers = [("Content-Type", "application/json; charset=utf-8")]
        if let text = query["n"] {
            guard let n = Int(text), (0...1000).contains(n) else { throw DistributionError.paginationInvalid(String(text.prefix(20))) }
            if tags.count > n {
                tags = Array(tags.prefix(n))
                if let lastTag = tags.last {
                    headers.append(("Link", "</v2/\(name)/tags/list?last=\(lastTag)&n=\(n)>; rel=\"next\""))
                }
            }
        }
        let body = try Self.jsonEncoder.encode(TagList(name: name, tags: tags))
        return reply(.ok, headers: headers, body: body, requestId: requestId)
    }

    /// The body of `tags/list`.
    struct TagList: Encodable {
        var name: String
        var tags: [String]
    }
}
