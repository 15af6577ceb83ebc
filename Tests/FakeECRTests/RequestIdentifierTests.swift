@testable import FakeECR
import Foundation
import Testing

/// `x-amzn-RequestId` values: lowercase version 4 UUIDs, all different.
@Suite("Request identifiers")
struct RequestIdentifierTests {
    @Test func formatsBitsAsALowercaseUUID() {
        let text = RequestIdentifier.format(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210)
        #expect(text == "01234567-89ab-cdef-fedc-ba9876543210")
    }

    @Test func isARandomVersion4UUID() {
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = RequestIdentifier.make()
            #expect(id.count == 36)
            #expect(id == id.lowercased())
            let uuid = UUID(uuidString: id)
            #expect(uuid?.uuidString.lowercased() == id)
            let bytes = Array(id.utf8)
            #expect(bytes[14] == UInt8(ascii: "4"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]))
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }

    /// Made from a shared count: ids made at once on many threads never repeat.
    @Test func idsMadeConcurrentlyAreAllDifferent() async {
        let batches = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<5_000).map { _ in RequestIdentifier.make() } } }
            return await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(Set(batches.joined()).count == 40_000)
    }

    /// Consecutive ids share no visible pattern: about half their bits differ.
    @Test func consecutiveIdsLookUnrelated() {
        func bits(_ id: String) -> [UInt8] { Array(id.utf8) }
        var previous = bits(RequestIdentifier.make())
        var differing = 0
        for _ in 0..<1000 {
            let next = bits(RequestIdentifier.make())
            differing += zip(previous, next).reduce(0) { $0 + ($1.0 == $1.1 ? 0 : 1) }
            previous = next
        }
        // 30 hexadecimal digits of 32 vary; a random digit equals another's one time in 16.
        #expect(differing > 1000 * 26)
    }

    /// The mixing step is a bijection (SplitMix64's finaliser): no two of many inputs share an output.
    @Test func mixingKeepsInputsApart() {
        let outputs = Set((0..<100_000 as Range<UInt64>).map { RequestIdentifier.mix($0) })
        #expect(outputs.count == 100_000)
    }
}
