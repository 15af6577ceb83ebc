import Synchronization

/// The `x-amzn-RequestId` of a response (and a CloudTrail record's `eventID`): a version 4 UUID in
/// lowercase, as ECR sends.
///
/// Its bits are the process's count of ids so far, mixed with 128 random bits drawn once at start-up
/// (SplitMix64's finaliser, a bijection of 64 bits, so that each word runs through all its values
/// before one repeats; with the version and variant bits set, two ids of a process are the same no
/// more often than two random version 4 UUIDs, and the random key sets processes apart), written
/// straight into a 36-byte string. Drawing every id from
/// the system's generator took two `getrandom` system calls per id, and ids need to be unique, not
/// secret; Foundation's `UUID()` on Linux reads `/dev/urandom` for each, and `uuidString.lowercased()` copies twice.
enum RequestIdentifier {
    private static let key: (high: UInt64, low: UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private static let made = Atomic<UInt64>(0)

    static func make() -> String {
        let count = made.wrappingAdd(1, ordering: .relaxed).oldValue
        var high = mix(key.high &+ count &* 0x9E37_79B9_7F4A_7C15)
        var low = mix(key.low ^ count)
        high = (high & ~0xF000) | 0x4000                          // version 4
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)            // variant 10xx
        return format(high: high, low: low)
    }

    /// SplitMix64's output function: a bijection of 64 bits that spreads every input bit over the output.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` of the 128 bits `high` (first) and `low`.
    static func format(high: UInt64, low: UInt64) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { buffer in
            digits.withUTF8Buffer { hex in
                var position = 0
                func put(_ word: UInt64, nibbles: ClosedRange<Int>) {
                    for nibble in nibbles.reversed() {
                        if position == 8 || position == 13 || position == 18 || position == 23 {
                            buffer[position] = UInt8(ascii: "-")
                            position += 1
                        }
                        buffer[position] = hex[Int((word >> UInt64(nibble * 4)) & 0xF)]
                        position += 1
                    }
                }
                put(high, nibbles: 0...15)
                put(low, nibbles: 0...15)
            }
            return 36
        }
    }
}
