import AWSCore
import Foundation
import Testing

/// Inputs that once crashed the SigV4 verifier (confirmed with Fuzz/ fuzz-sigv4-verify; the input is in
/// Fuzz/Corpus/fuzz-sigv4-verify/crash-date-year-overflow.req).
@Suite("SigV4 dates out of range")
struct SigV4DateBoundsTests {
    static let authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ecr/aws4_request, "
        + "SignedHeaders=date;host, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"

    /// A `Date` header with a 17-digit year overflowed the day count (arithmetic overflow trap) instead
    /// of being refused like any other unreadable date.
    @Test(arguments: ["Sun, 30 Aug 99999999999999999 12:36:00 GMT", "Sun, 30 Aug -99999999999999999 12:36:00 GMT", "Sun, 30 Aug 10000 12:36:00 GMT"])
    func hugeYearInDateHeaderIsRefused(_ date: String) {
        let request = SignableRequest(method: "GET", path: "/", headers: [
            HTTPHeaderField(name: "Host", value: "example.amazonaws.com"),
            HTTPHeaderField(name: "Date", value: date),
            HTTPHeaderField(name: "Authorization", value: Self.authorization),
        ])
        let result = SigV4Verifier(services: nil).verify(request, secretAccessKey: "secret", now: Date(timeIntervalSince1970: 1_440_938_160))
        guard case .malformed(let error) = result else {
            Issue.record("expected a malformed date, got \(result)")
            return
        }
        #expect(error.code == .incompleteSignature)
        #expect(error.message.contains("RFC 7231"))
    }
}
