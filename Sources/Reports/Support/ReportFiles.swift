import Foundation

/// Writing a set of report files into one folder: the folder made first, each file written through
/// a `ReportStream` (replaced atomically), every failure a `ReportWriterError` naming the path.
enum ReportFiles {
    /// Writes `files` (name, what writes its contents into the stream) in order; returns their URLs.
    static func write(streaming files: [(name: String, write: (ReportStream) throws -> Void)], to directory: URL) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportWriterError(path: directory.path, action: "create the output directory", detail: error.localizedDescription)
        }
        var written: [URL] = []
        for file in files {
            let url = directory.appendingPathComponent(file.name)
            let stream = try ReportStream.file(at: url)
            do {
                try file.write(stream)
            } catch let error as ReportWriterError {
                throw error
            } catch {
                throw ReportWriterError(path: url.path, action: "encode", detail: "\(error)")
            }
            try stream.commit()
            written.append(url)
        }
        return written
    }

    /// Writes `files` (name, contents) in order; returns their URLs.
    static func write(_ files: [(name: String, data: () throws -> Data)], to directory: URL) throws -> [URL] {
        try write(streaming: files.map { file in (file.name, { (stream: ReportStream) in stream.write(try file.data()) }) }, to: directory)
    }
}
