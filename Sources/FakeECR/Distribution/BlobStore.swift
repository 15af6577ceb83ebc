import Foundation
import NIOCore
import Synchronization

/// Content-addressed blob bytes, shared by every repository and registry of one fake.
/// Callers pass digests already checked by `ContentDigest.isValid`; the stores check again
/// before building a path.
protocol BlobStore: Sendable {
    /// A short description for logs.
    var description: String { get }
    func size(of digest: String) throws -> Int64?
    /// Where the blob's bytes are, nil when the store has no such blob. The bytes of a file are
    /// streamed by the caller, never read whole.
    func contents(of digest: String) throws -> BlobContents?
    /// Stores `data` under `digest`; the caller has verified that `digest` is the data's digest.
    func write(_ data: Data, digest: String) throws
    /// A new upload whose bytes the store keeps aside (memory or a temporary file) until `commit`.
    func makeUpload(id: String) throws -> BlobUpload
    /// Stores a finished upload under `digest`; the caller has checked that `digest` is
    /// `upload.digest`. The upload's temporary bytes are moved, not copied.
    func commit(_ upload: FinishedUpload, digest: String) throws
}

/// The bytes of a stored blob.
enum BlobContents: Sendable {
    case memory(ByteBuffer)
    /// A file of `size` bytes.
    case file(path: String, size: Int64)
}

/// Blobs in memory (a fake without `--data-dir`).
final class MemoryBlobStore: BlobStore {
    private let blobs = Mutex<[String: ByteBuffer]>([:])
    var description: String { "memory" }

    func size(of digest: String) throws -> Int64? { blobs.withLock { $0[digest].map { Int64($0.readableBytes) } } }

    func contents(of digest: String) throws -> BlobContents? { blobs.withLock { $0[digest] }.map { .memory($0) } }

    func write(_ data: Data, digest: String) throws {
        try store(ByteBuffer(bytes: data), digest: digest)
    }

    func makeUpload(id: String) throws -> BlobUpload { BlobUpload(id: id, temporaryFile: nil) }

    func commit(_ upload: FinishedUpload, digest: String) throws {
        try store(upload.memory ?? ByteBuffer(), digest: digest)
    }

    private func store(_ bytes: ByteBuffer, digest: String) throws {
        guard ContentDigest.isValid(digest) else { throw RegistryStorageError("refusing to store a blob under the malformed digest '\(digest.prefix(80))'") }
        blobs.withLock { $0[digest] = bytes }
    }
}

/// Blobs as files `<directory>/blobs/sha256/<hex>` (a fake with `--data-dir`), written through a
/// temporary file (`.upload-<uuid>` in the same directory) and a rename so that a crash never
/// leaves a partial blob under its digest.
final class DirectoryBlobStore: BlobStore {
    let root: URL

    init(dataDirectory: URL) throws {
        root = dataDirectory.appendingPathComponent("blobs", isDirectory: true).appendingPathComponent("sha256", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw RegistryStorageError("cannot create the blob directory \(root.path): \(error.localizedDescription)")
        }
        removeStaleUploads()
    }

    /// Upload sessions live in memory, so the temporary files of an earlier run's unfinished
    /// uploads are garbage; those untouched for an hour go (a younger one may be another
    /// process's upload in progress).
    private func removeStaleUploads() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let cutoff = Date().addingTimeInterval(-3600)
        for name in names where name.hasPrefix(".upload-") {
            let path = root.appendingPathComponent(name, isDirectory: false).path
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < cutoff else { continue }
            unlink(path)
        }
    }

    var description: String { "files under \(root.path)" }

    private func file(_ digest: String) throws -> URL {
        guard let hex = ContentDigest.hex(digest) else {
            throw RegistryStorageError("refusing to build a blob path from the malformed digest '\(digest.prefix(80))'")
        }
        return root.appendingPathComponent(hex, isDirectory: false)
    }

    private func temporaryFile() -> URL {
        root.appendingPathComponent(".upload-\(UUID().uuidString)", isDirectory: false)
    }

    func size(of digest: String) throws -> Int64? {
        let path = try file(digest).path
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    func contents(of digest: String) throws -> BlobContents? {
        let path = try file(digest).path
        guard let size = try size(of: digest) else { return nil }
        return .file(path: path, size: size)
    }

    func write(_ data: Data, digest: String) throws {
        let url = try file(digest)
        if FileManager.default.fileExists(atPath: url.path) { return }
        let temporary = temporaryFile()
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw RegistryStorageError("cannot write the blob \(url.path): \(error.localizedDescription)")
        }
        try moveIntoPlace(temporary.path, url.path)
    }

    func makeUpload(id: String) throws -> BlobUpload {
        let temporary = temporaryFile().path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RegistryStorageError("cannot create the upload file \(temporary): \(String(cString: strerror(errno)))")
        }
        close(fd)
        return BlobUpload(id: id, temporaryFile: temporary)
    }

    func commit(_ upload: FinishedUpload, digest: String) throws {
        let url = try file(digest)
        guard let temporary = upload.temporaryFile else {
            throw RegistryStorageError("the upload of \(digest) has no temporary file in \(root.path)")
        }
        if FileManager.default.fileExists(atPath: url.path) {
            unlink(temporary)
            return
        }
        try moveIntoPlace(temporary, url.path)
    }

    private func moveIntoPlace(_ temporary: String, _ path: String) throws {
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw RegistryStorageError("cannot move the blob into \(path): \(String(cString: strerror(code)))")
        }
    }
}
