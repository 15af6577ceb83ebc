import Crypto
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// The bytes of one blob upload while it is open: hashed (SHA-256) as they arrive and kept in
/// memory or appended to a temporary file beside the blobs, in writes of about 1 MiB done on
/// NIO's blocking-I/O thread pool. A chunk is all or nothing: when its body fails (too large,
/// connection lost) the upload goes back to the bytes it held before the chunk.
final class BlobUpload: Sendable {
    /// What the upload holds so far. Moved out of the lock while a chunk streams in.
    private struct Progress: Sendable {
        var hasher = SHA256()
        var size = 0
        /// The bytes of an upload kept in memory (nil with a temporary file).
        var memory: ByteBuffer?
    }

    private enum Slot: Sendable {
        case idle(Progress)
        /// A chunk is streaming in; its task owns the progress.
        case busy
        case closed
    }

    private struct State: Sendable {
        var slot: Slot
        /// Bytes received by completed chunks.
        var size = 0
    }

    /// The upload's id (in messages).
    let id: String
    /// A temporary file in the blob directory (the directory store), nil in memory.
    let temporaryFile: String?
    private let state: Mutex<State>
    /// Bytes gathered before a write to the temporary file.
    static let writeSize = 1 << 20
    /// The most a `ByteBuffer` holds.
    static let maxMemoryBytes = Int(UInt32.max)

    init(id: String, temporaryFile: String?) {
        self.id = id
        self.temporaryFile = temporaryFile
        state = Mutex(State(slot: .idle(Progress(memory: temporaryFile == nil ? ByteBuffer() : nil))))
    }

    /// Bytes received so far.
    var size: Int { state.withLock { $0.size } }

    /// Appends a request body as one chunk; `start` (from `Content-Range`) must be the current size
    /// (BLOB_UPLOAD_INVALID otherwise), unless the body is empty and `ignoringEmptyBody`. A body
    /// over `limit` bytes is SIZE_INVALID. Returns the new size.
    func append<Body: AsyncSequence>(
        _ body: Body, start: Int?, limit: Int, ignoringEmptyBody: Bool = false
    ) async throws -> Int where Body.Element == ByteBuffer {
        var progress = try claim(start: ignoringEmptyBody ? nil : start)
        let (hasherBefore, sizeBefore) = (progress.hasher, progress.size)
        do {
            var pending = ByteBuffer()
            var received = 0
            for try await buffer in body where buffer.readableBytes > 0 {
                if received == 0, ignoringEmptyBody, let start { try checkStart(start, size: sizeBefore) }
                received += buffer.readableBytes
                guard received <= limit else {
                    throw DistributionError.sizeInvalid("The request body is larger than \(limit) bytes: upload the blob in chunks")
                }
                buffer.withUnsafeReadableBytes { progress.hasher.update(bufferPointer: $0) }
                if progress.memory != nil {
                    guard progress.size + buffer.readableBytes <= Self.maxMemoryBytes else {
                        throw DistributionError.sizeInvalid("A blob kept in memory is at most \(Self.maxMemoryBytes) bytes: start the fake with --data-dir")
                    }
                    progress.memory?.writeImmutableBuffer(buffer)
                    progress.size += buffer.readableBytes
                    continue
                }
                if pending.readableBytes == 0 && buffer.readableBytes >= Self.writeSize {
                    try await write(buffer, at: progress.size)
                    progress.size += buffer.readableBytes
                    continue
                }
                pending.writeImmutableBuffer(buffer)
                if pending.readableBytes >= Self.writeSize {
                    try await write(pending, at: progress.size)
                    progress.size += pending.readableBytes
                    pending.clear()
                }
            }
            if pending.readableBytes > 0 {
                try await write(pending, at: progress.size)
                progress.size += pending.readableBytes
            }
        } catch {
            progress.hasher = hasherBefore
            progress.size = sizeBefore
            if var memory = progress.memory {
                progress.memory = nil
                memory.moveWriterIndex(to: memory.readerIndex + sizeBefore)
                progress.memory = memory
            }
            await rollBack(to: progress)
            throw error
        }
        return try release(progress)
    }

    /// Ends the upload and returns what it holds; BLOB_UPLOAD_INVALID while a chunk is streaming.
    func finish() throws(DistributionError) -> FinishedUpload {
        let progress = try state.withLock { state throws(DistributionError) -> Progress in
            switch state.slot {
            case .idle(let progress):
                state.slot = .closed
                return progress
            case .busy: throw Self.busyError
            case .closed: throw DistributionError.blobUploadUnknown(id)
            }
        }
        let digest = ContentDigest.string(progress.hasher.finalize())
        return FinishedUpload(digest: digest, size: progress.size, memory: progress.memory, temporaryFile: temporaryFile)
    }

    /// Drops the upload's bytes (cancelled, replaced, or its digest did not match). A chunk that
    /// is streaming in finds the upload closed when it ends, and removes the file then.
    func discard() {
        let idle = state.withLock { state -> Bool in
            defer { state.slot = .closed }
            if case .idle = state.slot { return true }
            return false
        }
        if idle, let temporaryFile { unlink(temporaryFile) }
    }

    // MARK: internals

    private static let busyError = DistributionError.rangeInvalid("Another chunk of this upload is being received: send chunks one after another")

    private func claim(start: Int?) throws(DistributionError) -> Progress {
        try state.withLock { state throws(DistributionError) -> Progress in
            guard case .idle(let progress) = state.slot else {
                if case .busy = state.slot { throw Self.busyError }
                throw DistributionError.blobUploadUnknown(id)
            }
            if let start { try checkStart(start, size: progress.size) }
            state.slot = .busy
            return progress
        }
    }

    private func checkStart(_ start: Int, size: Int) throws(DistributionError) {
        guard start != size else { return }
        throw DistributionError.rangeInvalid(
            "The chunk starts at byte \(start) but the upload '\(id)' holds \(size) bytes: send the chunk starting at \(size)")
    }

    private func release(_ progress: Progress) throws -> Int {
        let open = state.withLock { state -> Bool in
            guard case .busy = state.slot else { return false }
            state.slot = .idle(progress)
            state.size = progress.size
            return true
        }
        guard open else {
            if let temporaryFile { unlink(temporaryFile) }
            throw DistributionError.blobUploadUnknown(id)
        }
        return progress.size
    }

    private func rollBack(to progress: Progress) async {
        if let temporaryFile {
            let size = progress.size
            _ = try? await NIOThreadPool.singleton.runIfActive { truncate(temporaryFile, off_t(size)) }
        }
        let open = state.withLock { state -> Bool in
            guard case .busy = state.slot else { return false }
            state.slot = .idle(progress)
            return true
        }
        if !open, let temporaryFile { unlink(temporaryFile) }
    }

    private func write(_ buffer: ByteBuffer, at offset: Int) async throws {
        guard let temporaryFile else { return }
        try await NIOThreadPool.singleton.runIfActive {
            try FileBytes.write(buffer, to: temporaryFile, at: offset)
        }
    }
}

/// A closed upload: its digest, size and where its bytes are.
struct FinishedUpload: Sendable {
    /// `sha256:<hex>` of the bytes received.
    var digest: String
    var size: Int
    var memory: ByteBuffer?
    var temporaryFile: String?

    /// Removes the temporary file (an upload that will not be stored).
    func discard() {
        if let temporaryFile { unlink(temporaryFile) }
    }
}

/// Blocking file reads and writes with whole-buffer loops (run them on a thread pool).
enum FileBytes {
    static func write(_ buffer: ByteBuffer, to path: String, at offset: Int) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RegistryStorageError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try buffer.withUnsafeReadableBytes { bytes in
            var done = 0
            while done < bytes.count {
                let written = pwrite(fd, bytes.baseAddress?.advanced(by: done), bytes.count - done, off_t(offset + done))
                if written < 0 {
                    if errno == EINTR { continue }
                    throw RegistryStorageError("cannot write \(path): \(String(cString: strerror(errno)))")
                }
                done += written
            }
        }
    }

    /// Up to `count` bytes of `fd` from `offset` (fewer only at the end of the file).
    static func read(_ fd: Int32, at offset: Int64, count: Int, path: String) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        while buffer.readableBytes < count {
            let wanted = count - buffer.readableBytes
            let start = offset + Int64(buffer.readableBytes)
            let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { space -> Int in
                while true {
                    let n = pread(fd, space.baseAddress, wanted, off_t(start))
                    if n >= 0 { return n }
                    if errno != EINTR { throw RegistryStorageError("cannot read \(path): \(String(cString: strerror(errno)))") }
                }
            }
            if got == 0 { break }
        }
        return buffer
    }
}
