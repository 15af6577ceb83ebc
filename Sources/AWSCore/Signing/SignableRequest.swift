import Foundation

/// One HTTP header line. Names keep the case they were given; lookups ignore case.
public struct HTTPHeaderField: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request in the shape SigV4 needs: what goes on the wire, nothing more.
///
/// `path` and `query` are as they appear in the request target (the signer percent-encodes
/// whatever is not encoded yet, as AWS's canonicalisation rules say); `headers` keep their
/// order, and repeated names are allowed.
public struct SignableRequest: Sendable, Equatable {
    public var method: String
    /// The request path as it goes on the wire, e.g. `/` or `/v2/nginx/manifests/1.27`.
    public var path: String
    /// The raw query string without the leading `?`; empty when there is none.
    public var query: String
    public var headers: [HTTPHeaderField]
    public var body: Data

    public init(method: String, path: String, query: String = "", headers: [HTTPHeaderField] = [], body: Data = Data()) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Builds a request from a URL: path and query are taken percent-encoded, as the URL holds them.
    /// An empty path becomes `/`. No `Host` header is added: the caller adds it.
    public init(method: String, url: URL, headers: [HTTPHeaderField] = [], body: Data = Data()) {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: true)
        let path = components?.percentEncodedPath ?? ""
        self.init(
            method: method,
            path: path.isEmpty ? "/" : path,
            query: components?.percentEncodedQuery ?? "",
            headers: headers,
            body: body
        )
    }

    /// All values of the headers called `name` (case-insensitive), in request order.
    public func headerValues(named name: String) -> [String] {
        let lowered = name.lowercased()
        return headers.compactMap { $0.name.lowercased() == lowered ? $0.value : nil }
    }

    /// The first value of the header called `name` (case-insensitive), if any.
    public func headerValue(named name: String) -> String? {
        headerValues(named: name).first
    }

    /// Removes every header called `name` (case-insensitive).
    public mutating func removeHeaders(named name: String) {
        let lowered = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lowered }
    }

    /// Appends a header line (keeps any existing ones with the same name).
    public mutating func addHeader(name: String, value: String) {
        headers.append(HTTPHeaderField(name: name, value: value))
    }

    /// Replaces every header called `name` (case-insensitive) by a single line at the end.
    public mutating func setHeader(name: String, value: String) {
        removeHeaders(named: name)
        addHeader(name: name, value: value)
    }

    /// The path and query as they go in the request line: `path` or `path?query`.
    public var requestTarget: String {
        query.isEmpty ? path : path + "?" + query
    }
}
