import Foundation

/// Where a report is written piece by piece, so a report of any size takes a few blocks of memory:
/// into memory (`memory()`: `render`, standard output, tests) or into a file (`file(at:)`).
///
/// A file is written to a temporary file beside its target and moved into place by `commit()`
/// (atomic replace), so a reader never sees half a report and a failed run leaves the old report
/// as it was. Text is buffered and written in blocks of `blockSize` bytes. Writing never throws:
/// the first I/O failure is kept, later writes are dropped, and `commit()` throws it, naming the path.
final class ReportStream {
    static let blockSize = 1 << 16

    private struct Target {
        var handle: FileHandle
        var temporary: URL
        var url: URL
    }

    private var buffer: [UInt8] = []
    private let target: Target?
    private var failure: ReportWriterError?
    private var committed = false

    private init(target: Target?) {
        self.target = target
        buffer.reserveCapacity(target == nil ? 4096 : Self.blockSize)
    }

    /// A stream that keeps everything in memory (`data`, `text`).
    static func memory() -> ReportStream { ReportStream(target: nil) }

    /// A stream in memory, filled by `write`: how each class report's `render` and `data` use its one writer.
    static func memory(_ write: (ReportStream) -> Void) -> ReportStream {
        let stream = memory()
        write(stream)
        return stream
    }

    /// A stream into `url`, through a temporary file in the same directory (which must exist).
    static func file(at url: URL) throws -> ReportStream {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ReportWriterError(path: url.path, action: "write", detail: "cannot create \(temporary.lastPathComponent) in its directory")
        }
        do {
            return ReportStream(target: Target(handle: try FileHandle(forWritingTo: temporary), temporary: temporary, url: url))
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ReportWriterError(path: url.path, action: "write", detail: error.localizedDescription)
        }
    }

    deinit {
        guard let target, !committed else { return }
        try? target.handle.close()
        try? FileManager.default.removeItem(at: target.temporary)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.blockSize { flush() }
    }

    func write(_ data: Data) {
        buffer.append(contentsOf: data)
        if buffer.count >= Self.blockSize { flush() }
    }

    /// Everything written, for a memory stream (empty for a file stream).
    var data: Data { target == nil ? Data(buffer) : Data() }

    /// `data` as UTF-8 text.
    var text: String { String(decoding: buffer, as: UTF8.self) }

    /// Writes what is buffered, closes the file and moves it into place; throws the first failure.
    /// Nothing to do for a memory stream.
    func commit() throws {
        guard let target, !committed else { return }
        flush()
        do {
            try target.handle.close()
        } catch {
            if failure == nil { failure = ReportWriterError(path: target.url.path, action: "write", detail: error.localizedDescription) }
        }
        if let failure { throw failure }
        guard rename(target.temporary.path, target.url.path) == 0 else {
            let detail = String(cString: strerror(errno))
            throw ReportWriterError(path: target.url.path, action: "write", detail: "cannot move the finished file into place: \(detail)")
        }
        committed = true
    }

    private func flush() {
        guard let target, !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        do {
            try target.handle.write(contentsOf: buffer)
        } catch {
            failure = ReportWriterError(path: target.url.path, action: "write", detail: error.localizedDescription)
        }
    }
}
