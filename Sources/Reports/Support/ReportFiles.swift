import Foundation

/// Writing a set of report files into one folder: the folder made first, each file replaced
/// atomically, every failure a `ReportWriterError` naming the path.
enum ReportFiles {
    /// Writes `files` (name, contents) in order; returns their URLs.
    static func write(_ files: [(name: String, data: () throws -> Data)], to directory: URL) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportWriterError(path: directory.path, action: "create the output directory", detail: error.localizedDescription)
        }
        var written: [URL] = []
        for file in files {
            let url = directory.appendingPathComponent(file.name)
            let data: Data
            do {
                data = try file.data()
            } catch let error as ReportWriterError {
                throw error
            } catch {
                throw ReportWriterError(path: url.path, action: "encode", detail: "\(error)")
            }
            do {
                try data.write(to: url, options: .atomic)
            } catch {
                throw ReportWriterError(path: url.path, action: "write", detail: error.localizedDescription)
            }
            written.append(url)
        }
        return written
    }
}
