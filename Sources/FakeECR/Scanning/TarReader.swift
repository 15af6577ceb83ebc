import Foundation

/// A small, streaming reader of tar archives (POSIX ustar, with GNU long names and pax `path`
/// records), enough to pick a few files out of an image layer: bytes go in as they are inflated,
/// and only the contents of the files asked for are kept. Every other entry is skipped by size.
///
/// Not supported (skipped, never an error): links (a package database is a regular file in every
/// image we know), sparse files, and pax records other than `path`. Anything that is not a valid
/// header (a bad checksum, a size that is not octal) is a `LayerReadError`.
public struct TarReader {
    /// What a layer says about the files asked for.
    public struct Layer: Equatable, Sendable {
        /// The files asked for that the layer holds (path without a leading `./` or `/`).
        public var files: [String: Data] = [:]
        /// Paths the layer deletes from the layers below it (`.wh.<name>` whiteouts).
        public var whiteouts: Set<String> = []
        /// Directories whose contents from the layers below are hidden (`.wh..wh..opq`).
        public var opaqueDirectories: Set<String> = []
    }

    public static let blockSize = 512
    /// The largest file kept (a package database is far smaller).
    public static let maxKeptFileBytes = 64 << 20

    private let wanted: Set<String>
    private var buffer: [UInt8] = []
    private var state = State.header
    private var longName: String?
    private var zeroBlocks = 0
    public private(set) var layer = Layer()

    fileprivate enum State {
        case header
        /// Inside an entry's data: bytes left (data then padding), and what to do with the data.
        case data(remaining: Int, padding: Int, sink: Sink)
        case finished
    }

    fileprivate enum Sink {
        case skip
        case keep(path: String, bytes: [UInt8])
        case longName(bytes: [UInt8])
        case pax(bytes: [UInt8])
    }

    /// A reader keeping the files at `paths` (relative, such as `var/lib/dpkg/status`).
    public init(keeping paths: Set<String>) { wanted = paths }

    /// Reads the next bytes of the archive.
    public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if case .finished = state { return }
        buffer.append(contentsOf: bytes)
        var offset = 0
        defer { buffer.removeFirst(offset) }
        while true {
            switch state {
            case .finished:
                return
            case .header:
                guard buffer.count - offset >= Self.blockSize else { return }
                let block = buffer[offset..<offset + Self.blockSize]
                offset += Self.blockSize
                try readHeader(block)
            case .data(var remaining, let padding, var sink):
                let available = min(remaining, buffer.count - offset)
                if available > 0 {
                    sink.append(buffer[offset..<offset + available])
                    offset += available
                    remaining -= available
                }
                if remaining > 0 {
                    state = .data(remaining: remaining, padding: padding, sink: sink)
                    return
                }
                guard buffer.count - offset >= padding else {
                    // Wait for the padding: keep the finished data as a zero-length entry with its padding.
                    state = .data(remaining: 0, padding: padding, sink: sink)
                    return
                }
                offset += padding
                try finish(sink)
                state = .header
            }
        }
    }

    public mutating func feed(_ data: Data) throws {
        try data.withUnsafeBytes { try feed($0.bindMemory(to: UInt8.self)) }
    }

    /// Ends the archive: what it held. An archive cut inside an entry is an error; one that ends
    /// without its two zero blocks is accepted (as GNU tar does, with a warning).
    public mutating func finish() throws -> Layer {
        switch state {
        case .data(let remaining, _, _) where remaining > 0:
            throw LayerReadError("the tar archive ends inside an entry (\(remaining) bytes missing)")
        case .data(_, _, let sink):
            // The data is complete; only its padding is missing.
            try finish(sink)
            state = .finished
            return layer
        case .header where !buffer.isEmpty:
            throw LayerReadError("the tar archive ends inside a header (\(buffer.count) of 512 bytes)")
        default:
            return layer
        }
    }

    // MARK: headers

    private mutating func readHeader(_ block: ArraySlice<UInt8>) throws {
        if block.allSatisfy({ $0 == 0 }) {
            zeroBlocks += 1
            if zeroBlocks == 2 { state = .finished }
            return
        }
        zeroBlocks = 0
        let bytes = Array(block)
        guard let stored = Self.octal(bytes[148..<156]) else { throw LayerReadError("a tar header's checksum field is not octal") }
        // The checksum counts its own field as eight spaces.
        let sum = bytes.enumerated().reduce(0) { total, item in total + ((148..<156).contains(item.offset) ? 32 : Int(item.element)) }
        guard sum == stored else { throw LayerReadError("a tar header's checksum is \(stored), its bytes sum to \(sum) (corrupt archive)") }
        guard let size = Self.size(bytes[124..<136]), size >= 0 else { throw LayerReadError("a tar header's size field is not a number") }
        let type = bytes[156]
        var name = Self.string(bytes[0..<100])
        if Self.string(bytes[257..<262]) == "ustar" {
            let prefix = Self.string(bytes[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        if let longName {
            name = longName
            self.longName = nil
        }
        let padding = (Self.blockSize - size % Self.blockSize) % Self.blockSize
        let sink: Sink
        switch type {
        case UInt8(ascii: "L"):
            guard size <= 1 << 20 else { throw LayerReadError("a GNU long name of \(size) bytes") }
            sink = .longName(bytes: [])
        case UInt8(ascii: "x"):
            guard size <= 1 << 20 else { throw LayerReadError("a pax header of \(size) bytes") }
            sink = .pax(bytes: [])
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
            let path = Self.normalized(name)
            noteWhiteout(path)
            if wanted.contains(path), size <= Self.maxKeptFileBytes {
                sink = .keep(path: path, bytes: [])
            } else {
                sink = .skip
            }
        default:
            noteWhiteout(Self.normalized(name))
            sink = .skip
        }
        state = .data(remaining: size, padding: padding, sink: sink)
    }

    private mutating func noteWhiteout(_ path: String) {
        let (directory, base) = Self.split(path)
        guard base.hasPrefix(".wh.") else { return }
        if base == ".wh..wh..opq" {
            layer.opaqueDirectories.insert(directory)
        } else {
            let target = String(base.dropFirst(4))
            layer.whiteouts.insert(directory.isEmpty ? target : directory + "/" + target)
        }
    }

    private mutating func finish(_ sink: Sink) throws {
        switch sink {
        case .skip: break
        case .keep(let path, let bytes): layer.files[path] = Data(bytes)
        case .longName(let bytes): longName = Self.string(bytes[...])
        case .pax(let bytes): if let path = Self.paxPath(bytes) { longName = path }
        }
    }

    // MARK: fields

    /// `./var/lib/dpkg/status` and `/var/lib/dpkg/status` are `var/lib/dpkg/status`.
    static func normalized(_ name: String) -> String {
        var path = name
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.hasPrefix("/") { path.removeFirst() }
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }

    static func split(_ path: String) -> (directory: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// A NUL-terminated field.
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// An octal field (spaces and NULs around the digits allowed).
    static func octal(_ bytes: ArraySlice<UInt8>) -> Int? {
        let text = string(bytes).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 21 else { return text.isEmpty ? 0 : nil }
        return Int(text, radix: 8)
    }

    /// A size: octal, or GNU's base-256 (first byte 0x80) for sizes of 8 GiB and more.
    static func size(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard let first = bytes.first, first & 0x80 != 0 else { return octal(bytes) }
        var value = 0
        for (index, byte) in bytes.enumerated() {
            let digit = index == 0 ? Int(byte & 0x7f) : Int(byte)
            guard value <= (Int.max >> 8) else { return nil }
            value = value << 8 | digit
        }
        return value
    }

    /// The `path` of pax extended header records (`<length> path=<value>\n`).
    static func paxPath(_ bytes: [UInt8]) -> String? {
        var path: String?
        for record in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let field = record[record.index(after: space)...]
            if field.hasPrefix("path=") { path = String(field.dropFirst(5)) }
        }
        return path
    }
}

extension TarReader.Sink {
    fileprivate mutating func append(_ bytes: ArraySlice<UInt8>) {
        switch self {
        case .skip: break
        case .keep(let path, var kept):
            kept.append(contentsOf: bytes)
            self = .keep(path: path, bytes: kept)
        case .longName(var kept):
            kept.append(contentsOf: bytes)
            self = .longName(bytes: kept)
        case .pax(var kept):
            kept.append(contentsOf: bytes)
            self = .pax(bytes: kept)
        }
    }
}
