import Foundation

/// The one byte range of a blob GET's `Range: bytes=…` header, as S3 (which serves ECR's layers)
/// honours it: `first-last`, `first-` or `-suffixLength`. Several ranges, another unit or a
/// malformed value are ignored (the whole blob is sent, 200), as S3 does.
struct ByteRange: Equatable, Sendable {
    var first: Int64
    var last: Int64
    var count: Int64 { last - first + 1 }

    /// What a `Range` header asks of a blob of `size` bytes.
    enum Request: Equatable, Sendable {
        /// No range, or one to ignore: the whole blob.
        case whole
        case range(ByteRange)
        /// A well-formed range that starts beyond the blob (416, `Content-Range: bytes */size`).
        case unsatisfiable
    }

    static func request(_ header: String?, size: Int64) -> Request {
        guard let header = header?.trimmingCharacters(in: .whitespaces), header.lowercased().hasPrefix("bytes=") else { return .whole }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let start = spec[..<dash].trimmingCharacters(in: .whitespaces), end = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if start.isEmpty {
            guard let suffix = Int64(end), suffix >= 0 else { return .whole }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .range(ByteRange(first: max(size - suffix, 0), last: size - 1))
        }
        guard let first = Int64(start), first >= 0 else { return .whole }
        var last = size - 1
        if !end.isEmpty {
            guard let given = Int64(end), given >= first else { return .whole }
            last = min(given, size - 1)
        }
        guard first < size else { return .unsatisfiable }
        return .range(ByteRange(first: first, last: last))
    }

    /// `bytes first-last/size`
    func contentRange(size: Int64) -> String { "bytes \(first)-\(last)/\(size)" }
}
