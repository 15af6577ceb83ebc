import Foundation
import NIOCore

/// Who may use the admin API under `/_fake/` (state dump and load, reset, counters, faults), which
/// is off unless a configuration asks for it (`fake-ecr serve --admin`). In-process users call
/// `RunningFakeECR`'s methods instead and need none of this.
///
/// On, it answers loopback clients only (`--admin-from any` lifts that), and, with a `token`
/// (`--admin-token`, required under `--auth sigv4`), only requests carrying
/// `Authorization: Bearer <token>`.
public struct AdminAPIAccess: Sendable, Equatable {
    /// Which peers may call.
    public enum Peers: String, Sendable, CaseIterable {
        /// 127.0.0.0/8 and ::1 (also as ::ffff:127.x.y.z), and Unix sockets.
        case loopback
        case any
    }

    public var peers: Peers
    /// The bearer token requests must carry; nil: none needed (refused under `--auth sigv4`).
    public var token: String?

    public init(peers: Peers = .loopback, token: String? = nil) {
        self.peers = peers
        self.token = token
    }

    /// Why a request from `peer` with the `Authorization` header `authorization` is refused (status
    /// and message); nil when it may go on.
    func refusal(peer: SocketAddress?, authorization: String?) -> (status: Int, message: String)? {
        if peers == .loopback, !Self.isLoopback(peer) {
            return (403, "The admin API answers loopback clients only, and this request came from \(peer?.ipAddress ?? "an unknown address"): start fake-ecr with --admin-from any to allow other hosts")
        }
        guard let token else { return nil }
        guard let authorization, authorization.hasPrefix("Bearer ") else {
            return (401, "The admin API needs the header 'Authorization: Bearer <token>' with the --admin-token this fake was started with")
        }
        guard Self.constantTimeEqual(String(authorization.dropFirst("Bearer ".count)), token) else {
            return (403, "The admin API refused the bearer token: it is not the --admin-token this fake was started with")
        }
        return nil
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let address else { return false }
        if case .unixDomainSocket = address { return true }
        guard let ip = address.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.lowercased().hasPrefix("::ffff:127.")
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
