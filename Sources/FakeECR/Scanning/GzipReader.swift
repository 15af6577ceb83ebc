import CZlib
import Foundation

/// Why a layer's bytes could not be read as a (gzip) tar stream.
public struct LayerReadError: Error, Equatable, CustomStringConvertible, Sendable {
    public var problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { problem }
}

/// Inflates gzip data (RFC 1952, one member or several concatenated, as `gzip` and `pigz` write
/// them) with zlib, handing the output on in chunks so that a layer is never held inflated whole.
/// Corrupt or truncated input is a `LayerReadError`, never a crash.
public enum GzipReader {
    /// Whether `data` starts with gzip's magic bytes.
    public static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// Inflates `data`, calling `consume` with each chunk of output (at most `chunkSize` bytes).
    /// Stops, with an error, after `limit` bytes of output: a layer that inflates beyond it is
    /// not read (a "zip bomb" guard).
    public static func inflate(
        _ data: Data, chunkSize: Int = 256 * 1024, limit: Int = 1 << 32, _ consume: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        guard isGzip(data) else { throw LayerReadError("not gzip data (no 1f 8b header)") }
        var stream = z_stream()
        // 15 + 16: a gzip wrapper (not zlib's or raw deflate), the largest window.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw LayerReadError("zlib could not start inflating")
        }
        defer { _ = inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: chunkSize)
        var produced = 0
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            guard let base = input.bindMemory(to: UInt8.self).baseAddress else { return }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = UInt32(input.count)
            while true {
                let (status, count) = output.withUnsafeMutableBufferPointer { buffer -> (Int32, Int) in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, buffer.count - Int(stream.avail_out))
                }
                if count > 0 {
                    produced += count
                    guard produced <= limit else { throw LayerReadError("the layer inflates to more than \(limit) bytes") }
                    try output.withUnsafeBufferPointer { try consume(UnsafeBufferPointer(rebasing: $0[0..<count])) }
                }
                switch status {
                case Z_OK:
                    // No progress with input left means the input is cut short.
                    if count == 0, stream.avail_in == 0 { throw LayerReadError("the gzip data ends before its end marker (truncated)") }
                case Z_STREAM_END:
                    // Another member may follow (concatenated gzip); trailing zero padding is allowed.
                    let rest = Int(stream.avail_in)
                    if rest == 0 { return }
                    let offset = input.count - rest
                    if input[offset...].allSatisfy({ $0 == 0 }) { return }
                    guard rest >= 2, input[offset] == 0x1f, input[offset + 1] == 0x8b else {
                        throw LayerReadError("unexpected bytes after the end of the gzip data at offset \(offset)")
                    }
                    guard inflateReset(&stream) == Z_OK else { throw LayerReadError("zlib could not read the next gzip member") }
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 { throw LayerReadError("the gzip data ends before its end marker (truncated)") }
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw LayerReadError("corrupt gzip data: \(message)")
                }
            }
        }
    }

    /// Inflates `data` whole (small inputs: tests, fixtures).
    public static func inflate(_ data: Data, limit: Int = 64 << 20) throws -> Data {
        var result = Data()
        try inflate(data, limit: limit) { result.append($0) }
        return result
    }
}
