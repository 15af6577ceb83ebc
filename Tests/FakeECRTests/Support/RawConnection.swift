import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to 127.0.0.1 with blocking calls and deadlines, for what an HTTP client
/// library would never do: send half a request line, or nothing, and see when the server hangs up.
/// Use it off the cooperative pool (`offPool`).
final class RawConnection {
    struct Failure: Error, CustomStringConvertible { var description: String }

    enum Event: Equatable {
        case data(Data)
        /// The server closed the connection (end of stream, or reset).
        case closed
        case timedOut
    }

    private let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port): \(reason)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
    }

    /// The next bytes, the server's close, or nothing within `timeout` seconds.
    func receive(timeout: Double) -> Event {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(timeout * 1000))
        guard ready > 0 else { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? .data(Data(buffer[..<count])) : .closed
    }

    /// Reads until the server closes the connection (discarding any bytes) or `timeout` passes.
    /// Returns the seconds it took, or nil when the connection was still open at the deadline.
    func secondsUntilClosed(timeout: Double) -> Double? {
        let start = Date()
        while true {
            let left = timeout - Date().timeIntervalSince(start)
            guard left > 0 else { return nil }
            switch receive(timeout: left) {
            case .closed: return Date().timeIntervalSince(start)
            case .timedOut: return nil
            case .data: continue
            }
        }
    }

    /// Sends a GET and reads one whole response (headers and a Content-Length body); returns its status line.
    func get(_ path: String, timeout: Double = 10) throws -> String {
        try send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
        var received = Data()
        let separator = Data("\r\n\r\n".utf8)
        while true {
            if let end = received.range(of: separator) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                if received.count - end.upperBound >= length {
                    return head.components(separatedBy: "\r\n").first ?? head
                }
            }
            switch receive(timeout: timeout) {
            case .data(let data): received.append(data)
            case .closed: throw Failure(description: "the server closed the connection during GET \(path)")
            case .timedOut: throw Failure(description: "no whole response to GET \(path) within \(timeout) s")
            }
        }
    }
}
