import Hummingbird

/// The host a request was sent to, read once from its `Host` (HTTP/1.1) or `:authority`:
/// `authority` as the client wrote it (for URLs it should use again), `name` normalised for
/// comparisons (lowercased, without the port, without one trailing dot of a fully qualified name),
/// so that `111111111111.dkr.ecr.us-east-1.amazonaws.com.` and `…amazonaws.com:443` are the
/// registry host they spell.
struct RequestHost: Sendable, Equatable {
    var authority: String
    var name: String

    init(authority: String) {
        self.authority = authority
        var host = Substring(authority)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]  // [IPv6]:port
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            host = host[..<colon]  // name:port
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        name = host.lowercased()
    }

    /// The host of `request`; `fallback` (the server's own address) when it names none.
    init(of request: Request, fallback: String) {
        self.init(authority: request.head.authority ?? fallback)
    }
}
