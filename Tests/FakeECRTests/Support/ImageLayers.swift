import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// Image layers made in code for the scanning tests: ustar archives, gzip-wrapped with stored
/// (uncompressed) deflate blocks, which zlib inflates like any other gzip stream.
enum ImageLayers {
    /// A ustar archive of regular files (path → contents), ended by its two zero blocks.
    static func tar(_ files: [(String, Data)]) -> Data {
        var archive = Data()
        for (path, contents) in files {
            archive.append(header(path, size: contents.count))
            archive.append(contents)
            archive.append(Data(count: (512 - contents.count % 512) % 512))
        }
        archive.append(Data(count: 1024))
        return archive
    }

    static func header(_ path: String, size: Int, type: UInt8 = UInt8(ascii: "0")) -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte } }
        put(path, at: 0)
        put("0000644", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(String(format: "%011o", size), at: 124)
        put("00000000000", at: 136)
        block[156] = type
        put("ustar", at: 257)
        put("00", at: 263)
        for i in 148..<156 { block[i] = 32 }
        let sum = block.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum), at: 148)
        block[154] = 0
        block[155] = 32
        return Data(block)
    }

    /// `data` as gzip: stored deflate blocks, CRC-32 and length.
    static func gzip(_ data: Data) -> Data {
        var out = Data([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let count = min(65535, bytes.count - offset)
            let final: UInt8 = offset + count == bytes.count ? 1 : 0
            out.append(final)
            out.append(contentsOf: [UInt8(count & 0xff), UInt8(count >> 8), UInt8(~count & 0xff), UInt8((~count >> 8) & 0xff)])
            out.append(contentsOf: bytes[offset..<offset + count])
            offset += count
        } while offset < bytes.count
        for value in [crc32(bytes), UInt32(truncatingIfNeeded: bytes.count)] {
            out.append(contentsOf: (0..<4).map { UInt8((value >> (8 * $0)) & 0xff) })
        }
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// A dpkg status file of installed packages (name, version, source).
    static func dpkgStatus(_ packages: [(String, String)]) -> Data {
        Data(packages.map { "Package: \($0.0)\nStatus: install ok installed\nArchitecture: amd64\nVersion: \($0.1)\nDescription: \($0.0)\n long text\n" }
            .joined(separator: "\n").utf8)
    }

    /// An apk installed database.
    static func apkInstalled(_ packages: [(String, String)]) -> Data {
        Data(packages.map { "C:Q1abc=\nP:\($0.0)\nV:\($0.1)\nA:x86_64\n" }.joined(separator: "\n").utf8)
    }

    /// `apt 1.4.8`: CVE-2019-3462 in fixtures/scanning/vulnerabilities.yaml.
    static var vulnerableDebian: Data {
        gzip(tar([("./var/lib/dpkg/status", dpkgStatus([("base-files", "9.9"), ("apt", "1.4.8")])), ("./etc/debian_version", Data("9.6\n".utf8))]))
    }

    static var vulnerabilityTable: URL { FakeECRProcess.packageRoot.appendingPathComponent("fixtures/scanning/vulnerabilities.yaml") }

    /// How long the tests' scans run on the fake's clock: far longer than any test takes, so that
    /// a scan completes when a test moves the clock, never because the machine was slow.
    static let scanDuration: TimeInterval = 3600

    /// The lab's fake, with the fixture vulnerability table.
    static func configuration() throws -> FakeECRConfiguration {
        var configuration = TestFakeECR.configuration()
        configuration.vulnerabilities = try VulnerabilityTable.load(vulnerabilityTable)
        configuration.scanDuration = scanDuration
        return configuration
    }
}

extension RegistryClient {
    /// Pushes an OCI image of these layers (lowest first) under `tag`; returns its digest.
    func pushImage(_ repository: String, tag: String, layers: [Data]) async throws -> String {
        let config = Data(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers"}}"#.utf8)
        let configDigest = try await pushBlob(repository, config)
        var descriptors: [(String, Int)] = []
        for layer in layers { descriptors.append((try await pushBlob(repository, layer), layer.count)) }
        let manifest = ociManifest(config: (configDigest, config.count), layers: descriptors)
        let answer = try await send("PUT", "/v2/\(repository)/manifests/\(tag)", headers: [("Content-Type", ociManifestType)], body: Data(manifest.utf8))
        #expect(answer.status == 201, "manifest push: \(answer.text)")
        return sha256(Data(manifest.utf8))
    }
}
