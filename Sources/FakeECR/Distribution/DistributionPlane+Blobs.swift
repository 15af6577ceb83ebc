import Foundation
import Hummingbird
import NIOCore
import NIOPosix

/// Blob downloads (`GET`/`HEAD /v2/<name>/blobs/<digest>`) of blobs visible in the repository,
/// streamed from the blob store.
extension DistributionPlane {
    func getBlob(_ key: RegistryKey, _ name: String, _ digest: String, head: Bool, requestId: String) async throws -> Response {
        try ContentDigest.validate(digest)
        // Bytes are shared by the whole fake; a repository sees only the blobs that are its own.
        guard try await store.isBlobVisible(key, name, digest) else { throw DistributionError.blobUnknown(digest, name, key.accountId) }
        let headers = [("Content-Type", "application/octet-stream"), ("Docker-Content-Digest", digest)]
        if head {
            guard let size = try blobs.size(of: digest) else { throw DistributionError.blobUnknown(digest, name, key.accountId) }
            return reply(.ok, headers: headers + [("Content-Length", String(size))], head: true, requestId: requestId)
        }
        switch try blobs.contents(of: digest) {
        case nil: throw DistributionError.blobUnknown(digest, name, key.accountId)
        case .memory(let bytes): return Self.reply(.ok, headers: headers, body: ResponseBody(byteBuffer: bytes), requestId: requestId)
        case .file(let path, let size):
            return Self.reply(.ok, headers: headers, body: Self.fileBody(path: path, size: size), requestId: requestId)
        }
    }

    /// A response body streaming `size` bytes of the file at `path`, read in chunks on NIO's thread pool.
    static func fileBody(path: String, size: Int64) -> ResponseBody {
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
                let start = offset
                let chunk = try await pool.runIfActive { try FileBytes.read(fd, at: start, count: count, path: path) }
                guard chunk.readableBytes > 0 else { throw RegistryStorageError("the blob \(path) ended after \(offset) of \(size) bytes") }
                offset += Int64(chunk.readableBytes)
                try await writer.write(chunk)
            }
            try await writer.finish(nil)
        }
    }
}
