import ECRWire
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A registry speaking the distribution API as an upstream: anonymous pulls, answering a
/// `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge with an anonymous token.
struct DistributionUpstream: UpstreamFetcher {
    let base: URL
    /// The client of every upstream fetch: like `HTTPClient.shared`, but a refused connection is
    /// retried for 3 seconds only (stand-ins are local), so an unreachable upstream is reported fast.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.timeout.connect = .seconds(3)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
    /// Deadline of one manifest or token request.
    static let manifestTimeout: TimeAmount = .seconds(10)
    static let blobTimeout: TimeAmount = .seconds(120)
    static let maxManifestBytes = DistributionPlane.maxManifestBytes
    static let maxBlobBytes = 1 << 30

    private var root: String {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    func manifest(path: String, reference: ManifestReference) async throws(UpstreamFailure) -> UpstreamManifest {
        let url = "\(root)/v2/\(path)/manifests/\(reference)"
        let answer = try await get(url, accept: ManifestMediaTypes.all.joined(separator: ", "), limit: Self.maxManifestBytes, timeout: Self.manifestTimeout)
        switch answer.status {
        case 200: break
        case 404: throw .notFound("\(root) has no image '\(path):\(reference)' (HTTP 404)")
        default: throw .unavailable("\(root) answered HTTP \(answer.status) for the manifest '\(path):\(reference)'")
        }
        let digest = ContentDigest.of(answer.body)
        var mediaType = answer.contentType.map(ManifestMediaTypes.bare)
        if mediaType == nil || !ManifestMediaTypes.isKnown(mediaType ?? "") {
            mediaType = ImageManifest.parse(answer.body)?.inferredMediaType
        }
        return UpstreamManifest(data: answer.body, mediaType: mediaType ?? ManifestMediaTypes.ociManifest, digest: digest)
    }

    func blob(path: String, digest: String) async throws(UpstreamFailure) -> Data {
        let answer = try await get("\(root)/v2/\(path)/blobs/\(digest)", accept: "*/*", limit: Self.maxBlobBytes, timeout: Self.blobTimeout)
        switch answer.status {
        case 200: return answer.body
        case 404: throw .notFound("\(root) has no blob \(digest) in '\(path)' (HTTP 404)")
        default: throw .unavailable("\(root) answered HTTP \(answer.status) for the blob \(digest) of '\(path)'")
        }
    }

    private struct Answer {
        var status: UInt
        var headers: HTTPHeaders
        var body: Data
        var contentType: String? { headers.first(name: "content-type") }
    }

    private func get(_ url: String, accept: String, limit: Int, timeout: TimeAmount) async throws(UpstreamFailure) -> Answer {
        let first = try await send(url, accept: accept, token: nil, limit: limit, timeout: timeout)
        guard first.status == 401, let challenge = first.headers.first(name: "www-authenticate"),
            challenge.lowercased().hasPrefix("bearer ")
        else { return first }
        let token = try await anonymousToken(challenge)
        return try await send(url, accept: accept, token: token, limit: limit, timeout: timeout)
    }

    private func send(_ url: String, accept: String, token: String?, limit: Int, timeout: TimeAmount) async throws(UpstreamFailure) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "fake-ecr pull-through-cache")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        do {
            let response = try await Self.client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: limit)
            return Answer(status: response.status.code, headers: response.headers, body: Data(body.readableBytesView))
        } catch {
            throw .unavailable("cannot reach the upstream \(root): \(error)")
        }
    }

    /// The anonymous token of a Bearer challenge (`realm`, `service`, `scope`).
    private func anonymousToken(_ challenge: String) async throws(UpstreamFailure) -> String {
        let parameters = Self.challengeParameters(String(challenge.dropFirst("bearer ".count)))
        guard let realm = parameters["realm"], var components = URLComponents(string: realm),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else {
            throw .unavailable("the upstream \(root) asked for a Bearer token without a usable realm")
        }
        var items = components.queryItems ?? []
        if let service = parameters["service"] { items.append(URLQueryItem(name: "service", value: service)) }
        if let scope = parameters["scope"] { items.append(URLQueryItem(name: "scope", value: scope)) }
        components.queryItems = items.isEmpty ? nil : items
        guard let tokenURL = components.string else { throw .unavailable("the upstream \(root) gave a malformed token realm") }
        let answer = try await send(tokenURL, accept: "application/json", token: nil, limit: 1024 * 1024, timeout: Self.manifestTimeout)
        guard answer.status == 200, let token = TokenAnswer.parse(answer.body)?.token else {
            throw .unavailable("the upstream \(root) refused an anonymous token (HTTP \(answer.status) from its token service)")
        }
        return token
    }

    /// The answer of a token service: `token`, or OAuth's `access_token`.
    private struct TokenAnswer: Decodable {
        var token: String?

        enum Key: String, CodingKey { case token, accessToken = "access_token" }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            token = ((try? container.decodeIfPresent(String.self, forKey: .token)) ?? nil)
                ?? ((try? container.decodeIfPresent(String.self, forKey: .accessToken)) ?? nil)
        }

        static func parse(_ data: Data) -> TokenAnswer? { try? JSONDecoder().decode(TokenAnswer.self, from: data) }
    }

    /// `realm="…",service="…"` → dictionary (keys lowercased).
    static func challengeParameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(text)
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                guard let close = rest.firstIndex(of: "\"") else { break }
                value = String(rest[..<close])
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            result[key] = value
        }
        return result
    }
}
