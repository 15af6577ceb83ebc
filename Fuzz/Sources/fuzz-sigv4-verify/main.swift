import AWSCore
import Foundation
import FuzzSupport

// The SigV4 verifier on a request built from the input: line 1 the method, line 2 the path, line 3 the
// query, then `Name: value` header lines up to an empty line, then the body. The verifier must answer
// (never crash) for any request; and a request our signer signs must verify as valid.
let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
let now = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z, the AWS suite's date
let verifier = SigV4Verifier(services: ["ecr", "sts"])
let signer = SigV4Signer(credentials: Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret), region: "us-east-1", service: "ecr")

func request(from data: Data) -> SignableRequest {
    var lines = data.split(separator: UInt8(ascii: "\n"), maxSplits: 3, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    while lines.count < 4 { lines.append("") }
    var headers: [HTTPHeaderField] = []
    var body = Data()
    let rest = Data(lines[3].utf8)
    var remaining = rest[...]
    while !remaining.isEmpty {
        let end = remaining.firstIndex(of: UInt8(ascii: "\n")) ?? remaining.endIndex
        let line = String(decoding: remaining[..<end], as: UTF8.self)
        remaining = end == remaining.endIndex ? remaining[end...] : remaining[remaining.index(after: end)...]
        if line.isEmpty { body = Data(remaining); break }
        let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        headers.append(HTTPHeaderField(name: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : ""))
    }
    return SignableRequest(method: lines[0], path: lines[1], query: lines[2], headers: headers, body: body)
}

/// RFC 9110 token characters: what a header name on the wire can hold.
func isToken(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.allSatisfy { byte in
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }
}

FuzzDriver.run { data in
    var request = request(from: data)
    _ = verifier.sessionToken(of: request)
    _ = try? verifier.authorization(of: request)
    _ = verifier.verify(request, secretAccessKey: secret, now: now).description

    // Round trip: our own signature over the same request must be accepted.
    request.headers.removeAll { ["authorization", "x-amz-content-sha256", "host"].contains($0.name.lowercased()) }
    guard request.headers.allSatisfy({ isToken($0.name) && !$0.value.contains(where: \.isNewline) }) else { return }
    guard !request.query.contains("X-Amz-") else { return }
    request.headers.append(HTTPHeaderField(name: "Host", value: "api.ecr.us-east-1.amazonaws.com"))
    let signed = signer.sign(request, date: now)
    let result = verifier.verify(signed, secretAccessKey: secret, now: now)
    if !result.isValid { FuzzDriver.fail("our own signature is refused: \(result)") }
}
