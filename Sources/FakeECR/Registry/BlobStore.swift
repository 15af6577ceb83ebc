import Foundation
import Synchronization

/// Content-addressed blob bytes, shared by every repository and registry of one fake.
/// Callers pass digests already checked by `RegistryDigest.isValid`; the stores check again
/// before building a path.
protocol BlobStore: Sendable {
    /// A short description for logs.
    var description: String { get }
    func size(of digest: String) throws -> Int64?
    func read(_ digest: String) throws -> Data?
    /// Stores `data` under `digest`; the caller has verified that `digest` is the data's digest.
    func write(_ data: Data, digest: String) throws
}

/// Blobs in memory (a fake without `--data-dir`).
final class MemoryBlobStore: BlobStore {
    private let blobs = Mutex<[String: Data]>([:])
    var description: String { "memory" }

    func size(of digest: String) throws -> Int64? { blobs.withLock { $0[digest].map { Int64($0.count) } } }
    func read(_ digest: String) throws -> Data? { blobs.withLock { $0[digest] } }
    func write(_ data: Data, digest: String) throws {
        guard RegistryDigest.isValid(digest) else { throw RegistryStorageError("refusing to store a blob under the malformed digest '\(digest.prefix(80))'") }
        blobs.withLock { $0[digest] = data }
    }
}

/// Blobs as files `<directory>/blobs/sha256/<hex>` (a fake with `--data-dir`), written through a
/// temporary file and a rename so that a crash never leaves a partial blob under its digest.
final class DirectoryBlobStore: BlobStore {
    let root: URL

    init(dataDirectory: URL) throws {
        root = dataDirectory.appendingPathComponent("blobs", isDirectory: true).appendingPathComponent("sha256", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw RegistryStorageError("cannot create the blob directory \(root.path): \(error.localizedDescription)")
        }
    }

    var description: String { "files under \(root.path)" }

    private func file(_ digest: String) throws -> URL {
        guard let hex = RegistryDigest.hex(digest) else {
            throw RegistryStorageError("refusing to build a blob path from the malformed digest '\(digest.prefix(80))'")
        }
        return root.appendingPathComponent(hex, isDirectory: false)
    }

    func size(of digest: String) throws -> Int64? {
        let path = try file(digest).path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return (attributes[.size] as? NSNumber)?.int64Value
    }

    func read(_ digest: String) throws -> Data? {
        let url = try file(digest)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw RegistryStorageError("cannot read the blob \(url.path): \(error.localizedDescription)")
        }
    }

    func write(_ data: Data, digest: String) throws {
        let url = try file(digest)
        if FileManager.default.fileExists(atPath: url.path) { return }
        let temporary = root.appendingPathComponent(".upload-\(UUID().uuidString)", isDirectory: false)
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let code = errno
                try? FileManager.default.removeItem(at: temporary)
                throw RegistryStorageError("cannot move the blob into \(url.path): \(String(cString: strerror(code)))")
            }
        } catch let error as RegistryStorageError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw RegistryStorageError("cannot write the blob \(url.path): \(error.localizedDescription)")
        }
    }
}
