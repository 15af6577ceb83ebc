import Foundation

/// An IPv4 or IPv6 address with a prefix length (`203.0.113.0/24`, `2001:db8::/32`; a bare address
/// is a /32 or /128), for the `IpAddress` and `NotIpAddress` condition operators.
struct IPBlock: Sendable, Equatable {
    /// 4 or 16 bytes.
    var bytes: [UInt8]
    var prefix: Int

    init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.ipv4(parts[0]) ?? Self.ipv6(parts[0]) else { return nil }
        bytes = address
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...(address.count * 8)).contains(length) else { return nil }
            prefix = length
        } else {
            prefix = address.count * 8
        }
    }

    /// Whether `address` (its whole address) lies in this block; IPv4 and IPv6 never match each other.
    func contains(_ address: IPBlock) -> Bool {
        guard address.bytes.count == bytes.count else { return false }
        var remaining = prefix
        for (mine, theirs) in zip(bytes, address.bytes) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            guard mine & mask == theirs & mask else { return false }
            remaining -= bits
        }
        return true
    }

    static func ipv4(_ text: Substring) -> [UInt8]? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        let values = octets.compactMap { $0.count <= 3 && $0.allSatisfy(\.isNumber) ? UInt8($0) : nil }
        return values.count == 4 ? values : nil
    }

    static func ipv6(_ text: Substring) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            let values = fields.compactMap { $0.count <= 4 ? UInt16($0, radix: 16) : nil }
            return values.count == fields.count ? values : nil
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}
