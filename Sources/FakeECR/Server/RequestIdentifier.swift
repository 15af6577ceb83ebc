/// The `x-amzn-RequestId` of a response: a random (version 4) UUID in lowercase, as ECR sends.
///
/// Made from two random words and written straight into a 36-byte string: Foundation's `UUID()`
/// on Linux opens and reads `/dev/urandom` for every id, and `uuidString.lowercased()` copies twice.
enum RequestIdentifier {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var high: UInt64 = generator.next()
        var low: UInt64 = generator.next()
        high = (high & ~0xF000) | 0x4000                          // version 4
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)            // variant 10xx
        return format(high: high, low: low)
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
