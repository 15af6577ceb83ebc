import FakeECR
import Foundation
import Testing

/// What basic scanning reads, piece by piece: package versions ordered by dpkg's and apk's rules,
/// gzip through zlib, tar entries and whiteouts, package databases, the vulnerability table;
/// corrupt input is an error, never a crash.
@Suite("Image scanning: versions, gzip, tar, package databases")
struct ScanningFormatTests {
    @Test(arguments: [
        ("1.4.8", "1.4.9", -1), ("1.4.10", "1.4.9", 1), ("1.0", "1.0", 0), ("1.0-1", "1.0-2", -1),
        ("1:0.9", "2.0", 1), ("1.0~rc1", "1.0", -1), ("1.0~rc1", "1.0~rc2", -1), ("1.0", "1.0a", -1), ("1.0a", "1.0+", -1),
        ("2.36-9+deb12u2", "2.36-9+deb12u3", -1), ("2.36-9+deb12u10", "2.36-9+deb12u3", 1), ("1.2.11.dfsg-2+deb11u2", "1.2.11.dfsg-2", 1),
        ("001", "1", 0), ("1.0-1~bpo1", "1.0-1", -1),
    ])
    func debianVersionsCompareAsDpkgDoes(a: String, b: String, expected: Int) {
        #expect(DebianVersion.compare(a, b) == expected, "\(a) vs \(b)")
        #expect(DebianVersion.compare(b, a) == -expected, "\(b) vs \(a)")
    }

    @Test(arguments: [
        ("2.10.5-r1", "2.10.6-r0", -1), ("2.10.6-r0", "2.10.6-r1", -1), ("1.32.1-r3", "1.32.1-r4", -1), ("1.2", "1.2.1", -1),
        ("1.2.10", "1.2.9", 1), ("1.0_rc1", "1.0", -1), ("1.0_alpha", "1.0_beta", -1), ("1.0", "1.0_p1", -1), ("1.0a", "1.0b", -1),
        ("1.0", "1.0a", -1), ("3.0.8-r0", "3.0.8-r0", 0),
    ])
    func apkVersionsCompareAsApkDoes(a: String, b: String, expected: Int) {
        #expect(APKVersion.compare(a, b) == expected, "\(a) vs \(b)")
        #expect(APKVersion.compare(b, a) == -expected, "\(b) vs \(a)")
    }

    @Test func gzipInflatesOneOrSeveralMembers() throws {
        let text = Data(String(repeating: "layer bytes ", count: 20_000).utf8)
        #expect(try GzipReader.inflate(ImageLayers.gzip(text)) == text)
        // `cat a.gz b.gz` is a valid gzip stream of both.
        #expect(try GzipReader.inflate(ImageLayers.gzip(Data("a".utf8)) + ImageLayers.gzip(Data("b".utf8))) == Data("ab".utf8))
    }

    @Test func corruptGzipIsAnErrorNeverACrash() throws {
        let good = ImageLayers.gzip(Data(String(repeating: "x", count: 5000).utf8))
        #expect(throws: LayerReadError.self) { try GzipReader.inflate(Data("not gzip".utf8)) }
        #expect(throws: LayerReadError.self) { try GzipReader.inflate(good.prefix(good.count / 2)) }
        var flipped = good
        flipped[flipped.count - 6] ^= 0xff  // the CRC-32
        #expect(throws: LayerReadError.self) { try GzipReader.inflate(flipped) }
        var badBlock = good
        badBlock[10] = 0x07  // a reserved deflate block type
        #expect(throws: LayerReadError.self) { try GzipReader.inflate(badBlock) }
        #expect(throws: LayerReadError.self) { try GzipReader.inflate(good + Data("trailing".utf8)) }
        // Every prefix of a valid stream fails cleanly.
        for length in stride(from: 0, to: good.count, by: 97) {
            #expect(throws: LayerReadError.self) { try GzipReader.inflate(good.prefix(length)) }
        }
    }

    @Test func tarKeepsOnlyTheFilesAskedForAndNotesWhiteouts() throws {
        let archive = ImageLayers.tar([
            ("./etc/os-release", Data("ID=debian\n".utf8)),
            ("./var/lib/dpkg/status", Data(String(repeating: "s", count: 1300).utf8)),
            ("var/lib/.wh.apk", Data()), ("usr/.wh..wh..opq", Data()),
        ])
        var reader = TarReader(keeping: ["var/lib/dpkg/status"])
        // Fed in small pieces, as inflated chunks arrive.
        for start in stride(from: 0, to: archive.count, by: 100) { try reader.feed(archive[start..<min(start + 100, archive.count)]) }
        let layer = try reader.finish()
        #expect(layer.files == ["var/lib/dpkg/status": Data(String(repeating: "s", count: 1300).utf8)])
        #expect(layer.whiteouts == ["var/lib/apk"])
        #expect(layer.opaqueDirectories == ["usr"])
    }

    @Test func corruptTarIsAnErrorNeverACrash() throws {
        let archive = ImageLayers.tar([("var/lib/dpkg/status", Data(String(repeating: "s", count: 2000).utf8))])
        var badSum = archive
        badSum[0] ^= 0x20
        var reader = TarReader(keeping: ["var/lib/dpkg/status"])
        #expect(throws: LayerReadError.self) { try reader.feed(badSum) }
        var cut = TarReader(keeping: ["var/lib/dpkg/status"])
        try cut.feed(archive.prefix(1000))
        #expect(throws: LayerReadError.self) { try cut.finish() }
        var half = TarReader(keeping: [])
        try half.feed(archive.prefix(300))
        #expect(throws: LayerReadError.self) { try half.finish() }
        // Random bytes never trap.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let noise = Data((0..<1536).map { _ in UInt8.random(in: 0...255, using: &generator) })
            var random = TarReader(keeping: ["var/lib/dpkg/status"])
            _ = try? random.feed(noise)
            _ = try? random.finish()
        }
    }

    @Test func packageDatabasesListInstalledPackages() {
        let status = """
            Package: apt
            Status: install ok installed
            Version: 1.4.8
            Description: the package manager
             continued line: Version: 9

            Package: removed
            Status: deinstall ok config-files
            Version: 1.0

            Package: libc6
            Status: install ok installed
            Source: glibc (2.36-9+deb12u1)
            Version: 2.36-9+deb12u1
            """
        #expect(InstalledPackage.dpkg(status) == [
            InstalledPackage(ecosystem: .dpkg, name: "apt", version: "1.4.8"),
            InstalledPackage(ecosystem: .dpkg, name: "libc6", version: "2.36-9+deb12u1", source: "glibc"),
        ])
        let installed = "C:Q1x=\nP:busybox\nV:1.32.1-r3\no:busybox\n\nP:apk-tools\nV:2.10.5-r1\n"
        #expect(InstalledPackage.apk(installed).map(\.name) == ["busybox", "apk-tools"])
    }

    @Test func theFixtureTableMatchesAffectedVersionsOnly() throws {
        let table = try VulnerabilityTable.load(ImageLayers.vulnerabilityTable)
        let findings = table.findings(for: [
            InstalledPackage(ecosystem: .dpkg, name: "apt", version: "1.4.8"),
            InstalledPackage(ecosystem: .dpkg, name: "libc6", version: "2.36-9+deb12u3", source: "glibc"),
            InstalledPackage(ecosystem: .dpkg, name: "libc6", version: "2.33-1", source: "glibc"),
            InstalledPackage(ecosystem: .apk, name: "apk-tools", version: "2.10.5-r1"),
            InstalledPackage(ecosystem: .apk, name: "apt", version: "1.0"),
        ])
        #expect(findings.map(\.name) == ["CVE-2019-3462", "CVE-2021-30139"])
        let apt = try #require(findings.first)
        #expect(apt.severity == .critical && apt.uri == "https://security-tracker.debian.org/tracker/CVE-2019-3462")
        #expect(apt.attributes?.map(\.key) == ["package_version", "package_name", "CVSS2_VECTOR", "CVSS2_SCORE"])
        #expect(apt.attributes?.first?.value == "1.4.8")
    }

    @Test func aBadTableNamesTheFileAndEntry() {
        let text = "vulnerabilities:\n  - name: CVE-1\n    ecosystem: dpkg\n    package: apt\n    fixed: '1'\n    severity: SEVERE\n"
        let error = #expect(throws: InputFileError.self) { try VulnerabilityTable.parse(text, file: "table.yaml") }
        #expect(error?.description.contains("table.yaml: at $.vulnerabilities[0].severity") == true, "\(String(describing: error))")
        #expect(error?.description.contains("SEVERE") == true)
        #expect(throws: InputFileError.self) { try VulnerabilityTable.parse("vulnerabilities:\n  - name: CVE-1\n    ecosystem: rpm\n", file: "t.yaml") }
    }
}
