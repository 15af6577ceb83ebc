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
}
