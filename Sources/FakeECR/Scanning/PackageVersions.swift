import Foundation

/// Debian version ordering (deb-version(7), dpkg's `verrevcmp`): `[epoch:]upstream[-revision]`.
/// The epoch compares as a number; upstream and revision as alternating runs of non-digits and
/// digits, the non-digits character by character with `~` before everything (even the end),
/// then the end, then letters, then other characters; digit runs compare as numbers.
/// Simplified: an epoch that is not a number counts 0.
public enum DebianVersion {
    /// Negative when `a` is older than `b`, zero when equal, positive when newer.
    public static func compare(_ a: String, _ b: String) -> Int {
        let (epochA, upstreamA, revisionA) = split(a)
        let (epochB, upstreamB, revisionB) = split(b)
        if epochA != epochB { return epochA < epochB ? -1 : 1 }
        let upstream = verrevcmp(upstreamA, upstreamB)
        if upstream != 0 { return upstream }
        return verrevcmp(revisionA, revisionB)
    }

    static func split(_ version: String) -> (epoch: Int, upstream: [UInt8], revision: [UInt8]) {
        var rest = Substring(version.trimmingCharacters(in: .whitespaces))
        var epoch = 0
        if let colon = rest.firstIndex(of: ":") {
            epoch = Int(rest[..<colon]) ?? 0
            rest = rest[rest.index(after: colon)...]
        }
        var revision = Substring("")
        if let dash = rest.lastIndex(of: "-") {
            revision = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        return (epoch, Array(rest.utf8), Array(revision.utf8))
    }

    /// dpkg's character order: digits 0 (they end a non-digit run), letters by code, `~` first
    /// of all, other characters after the letters.
    static func order(_ c: UInt8?) -> Int {
        guard let c else { return 0 }
        if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { return 0 }
        if (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) { return Int(c) }
        if c == UInt8(ascii: "~") { return -1 }
        return Int(c) + 256
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    static func verrevcmp(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var i = 0, j = 0
        while i < a.count || j < b.count {
            var firstDiff = 0
            while (i < a.count && !isDigit(a[i])) || (j < b.count && !isDigit(b[j])) {
                let ac = order(i < a.count ? a[i] : nil), bc = order(j < b.count ? b[j] : nil)
                if ac != bc { return ac < bc ? -1 : 1 }
                i += 1
                j += 1
            }
            while i < a.count, a[i] == UInt8(ascii: "0") { i += 1 }
            while j < b.count, b[j] == UInt8(ascii: "0") { j += 1 }
            while i < a.count, isDigit(a[i]), j < b.count, isDigit(b[j]) {
                if firstDiff == 0 { firstDiff = Int(a[i]) - Int(b[j]) }
                i += 1
                j += 1
            }
            if i < a.count, isDigit(a[i]) { return 1 }
            if j < b.count, isDigit(b[j]) { return -1 }
            if firstDiff != 0 { return firstDiff < 0 ? -1 : 1 }
        }
        return 0
    }
}

/// Alpine version ordering (apk-tools' `apk_version_compare`), simplified to what Alpine's
/// packages use: `digits(.digits)*[letter](_suffix[digits])*[-rN]`. Numbers compare as numbers
/// (a missing one is older), then the letter, then suffixes in apk's order
/// `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`, then the `-r` revision.
/// A version outside that grammar compares its remaining text as a string.
public enum APKVersion {
    public static func compare(_ a: String, _ b: String) -> Int {
        let pa = parse(a), pb = parse(b)
        let count = max(pa.numbers.count, pb.numbers.count)
        for index in 0..<count {
            let x = index < pa.numbers.count ? pa.numbers[index] : -1
            let y = index < pb.numbers.count ? pb.numbers[index] : -1
            if x != y { return x < y ? -1 : 1 }
        }
        if pa.letter != pb.letter { return (pa.letter ?? 0) < (pb.letter ?? 0) ? -1 : 1 }
        let suffixes = max(pa.suffixes.count, pb.suffixes.count)
        for index in 0..<suffixes {
            let x = index < pa.suffixes.count ? pa.suffixes[index] : (rank: noSuffixRank, number: 0)
            let y = index < pb.suffixes.count ? pb.suffixes[index] : (rank: noSuffixRank, number: 0)
            if x.rank != y.rank { return x.rank < y.rank ? -1 : 1 }
            if x.number != y.number { return x.number < y.number ? -1 : 1 }
        }
        if pa.revision != pb.revision { return pa.revision < pb.revision ? -1 : 1 }
        if pa.rest != pb.rest { return pa.rest < pb.rest ? -1 : 1 }
        return 0
    }

    static let suffixOrder = ["alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"]
    static var noSuffixRank: Int { suffixOrder.firstIndex(of: "") ?? 4 }

    struct Parsed {
        var numbers: [Int] = []
        var letter: UInt8?
        var suffixes: [(rank: Int, number: Int)] = []
        var revision = 0
        var rest = ""
    }

    static func parse(_ version: String) -> Parsed {
        var parsed = Parsed()
        var text = Substring(version.trimmingCharacters(in: .whitespaces))
        if let dash = text.range(of: "-r", options: .backwards), let revision = Int(text[dash.upperBound...]) {
            parsed.revision = revision
            text = text[..<dash.lowerBound]
        }
        var bytes = Array(text.utf8)[...]
        func number() -> Int? {
            let digits = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard !digits.isEmpty else { return nil }
            bytes = bytes.dropFirst(digits.count)
            return Int(String(decoding: digits.prefix(18), as: UTF8.self))
        }
        while let value = number() {
            parsed.numbers.append(value)
            guard bytes.first == UInt8(ascii: ".") else { break }
            bytes = bytes.dropFirst()
        }
        if let first = bytes.first, (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) {
            parsed.letter = first
            bytes = bytes.dropFirst()
        }
        while bytes.first == UInt8(ascii: "_") {
            bytes = bytes.dropFirst()
            let name = bytes.prefix { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
            bytes = bytes.dropFirst(name.count)
            let rank = suffixOrder.firstIndex(of: String(decoding: name, as: UTF8.self)) ?? noSuffixRank
            parsed.suffixes.append((rank, number() ?? 0))
        }
        parsed.rest = String(decoding: bytes, as: UTF8.self)
        return parsed
    }
}
