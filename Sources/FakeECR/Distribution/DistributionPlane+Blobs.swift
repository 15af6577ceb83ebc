import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// Blob downloads (`GET`/`HEAD /v2/<name>/blobs/<digest>`) of blobs visible in the repository,
/// streamed from the blob store; a GET with one `Range` gets those bytes (206), or 416.
extension DistributionPlane {
    func getBlob(_ key: RegistryKey, _ name: String, _ digest: String, head: Bool, range: String?, requestId: String) async throws -> Response {
        try ContentDigest.validate(digest)
        // Bytes are shared by the whole fake; a repository sees only the blobs that are its own.
        guard try store.isBlobVisible(key, name, digest), let size = try blobs.size(of: digest) else {
            throw DistributionError.blobUnknown(digest, name, key.accountId)
        }
        var headers = [("Content-Type", "application/octet-stream"), ("Docker-Content-Digest", digest), ("Accept-Ranges", "bytes")]
        var status = HTTPResponse.Status.ok
        var part = ByteRange(first: 0, last: size - 1)
        if !head {
            switch ByteRange.request(range, size: size) {
            case .whole: break
            case .unsatisfiable: throw DistributionError.rangeNotSatisfiable(size: size)
            case .range(let asked):
                part = asked
                status = .partialContent
                headers.append(("Content-Range", asked.contentRange(size: size)))
            }
        }
        if head {
            return reply(.ok, headers: headers + [("Content-Length", String(size))], head: true, requestId: requestId)
        }
        switch try blobs.contents(of: digest) {
        case nil: throw DistributionError.blobUnknown(digest, name, key.accountId)
        case .memory(let bytes):
            let slice = bytes.getSlice(at: bytes.readerIndex + Int(part.first), length: Int(max(part.count, 0))) ?? bytes
            return Self.reply(status, headers: headers, body: ResponseBody(byteBuffer: slice), requestId: requestId)
        case .file(let path, _):
            return Self.reply(status, headers: headers, body: Self.fileBody(path: path, offset: part.first, count: max(part.count, 0)), requestId: requestId)
        }
    }

    /// A response body streaming `count` bytes from `offset` of the file at `path`, read in chunks on NIO's thread pool.
    static func fileBody(path: String, offset start: Int64 = 0, count size: Int64) -> ResponseBody {
        ResponseBody(contentLength: Int(size)) { writer in
            let pool = NIOThreadPool.singleton
            let fd = try await pool.runIfActive { () throws -> Int32 in
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw RegistryStorageError("cannot open the blob \(path): \(String(cString: strerror(errno)))") }
                return fd
            }
            defer { close(fd) }
            var offset: Int64 = 0
            while offset < size {
                let count = Int(min(Int64(readChunkBytes), size - offset))
                let position = start + offset
                let chunk = try await pool.runIfActive { try FileBytes.read(fd, at: position, count: count, path: path) }
                guard chunk.readableBytes > 0 else { throw RegistryStorageError("the blob \(path) ended after \(offset) of \(size) bytes") }
                offset += Int64(chunk.readableBytes)
                try await writer.write(chunk)
            }
            try await writer.finish(nil)
        }
    }
}
