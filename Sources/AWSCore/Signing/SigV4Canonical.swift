import Crypto
import Foundation

/// The pieces of AWS Signature Version 4 shared by the signer and the verifier:
/// encoding, canonical request, string to sign, key derivation.
enum SigV4 {
    static let algorithm = "AWS4-HMAC-SHA256"
    static let terminator = "aws4_request"
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Headers never signed: they are changed or added by proxies and HTTP clients after signing.
    static let unsignedHeaderNames: Set<String> = [
        "authorization", "connection", "expect", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    // MARK: Hashing

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexSHA256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hexSHA256(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    static func signingKey(secret: String, shortDate: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + secret).utf8))
        for part in [shortDate, region, service, terminator] {
            let mac = HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)
            key = SymmetricKey(data: Data(mac))
        }
        return key
    }

    static func signature(stringToSign: String, key: SymmetricKey) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    /// Compares two strings in time that depends only on their lengths.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }

    // MARK: Encoding

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// AWS URI encoding: every byte but `A-Z a-z 0-9 - . _ ~` (and `/` when `keepSlash`) becomes `%XX`.
    static func uriEncode<S: Sequence>(_ bytes: S, keepSlash: Bool) -> String where S.Element == UInt8 {
        let digits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in bytes {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        uriEncode(Array(text.utf8), keepSlash: keepSlash)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Decodes `%XX` escapes into bytes; a `%` not followed by two hex digits stays as it is.
    /// `+` is kept as a plus sign (AWS signs `%20` for spaces).
    static func percentDecode<S: Collection>(_ text: S) -> [UInt8] where S.Element == UInt8, S.Index == Int {
        var out = [UInt8]()
        out.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "%"), index + 2 < text.endIndex,
               let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    static func percentDecode(_ text: String) -> [UInt8] {
        percentDecode(Array(text.utf8))
    }

    // MARK: Path

    /// RFC 3986 dot-segment removal plus collapsing of repeated slashes, as AWS services expect.
    static func normalizePath(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var output = [Substring]()
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !output.isEmpty { output.removeLast() }
            default: output.append(segment)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    static func canonicalPath(_ path: String, options: SigV4Options) -> String {
        var path = path.isEmpty ? "/" : path
        if options.normalizePath {
            path = normalizePath(path)
        }
        if options.doubleURIEncode {
            // The wire path is encoded (again): "%20" becomes "%2520", a raw space becomes "%20".
            return uriEncode(Array(path.utf8), keepSlash: true)
        }
        // Single encoding (S3): decode each segment, encode it once.
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { uriEncode(percentDecode(Array($0.utf8)), keepSlash: false) }
            .joined(separator: "/")
    }

    // MARK: Query

    /// The query's parameters, decoded, in order. Empty pieces (`a=1&&b=2`) are dropped;
    /// a key without `=` has an empty value.
    static func queryParameters(_ query: String) -> [(name: [UInt8], value: [UInt8])] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let bytes = Array(pair.utf8)
            if let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
                return (percentDecode(Array(bytes[..<equals])), percentDecode(Array(bytes[(equals + 1)...])))
            }
            return (percentDecode(bytes), [])
        }
    }

    /// Parameters encoded with AWS's rules, sorted by encoded name then encoded value, joined with `&`.
    static func canonicalQuery(_ parameters: [(name: [UInt8], value: [UInt8])]) -> String {
        parameters
            .map { (uriEncode($0.name, keepSlash: false), uriEncode($0.value, keepSlash: false)) }
            .sorted { lhs, rhs in
                if lhs.0 != rhs.0 { return lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) }
                return lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
            }
            .map { $0.0 + "=" + $0.1 }
            .joined(separator: "&")
    }

    // MARK: Headers

    /// Trims the value and collapses every run of whitespace (including folded lines) into one space.
    static func canonicalHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .joined(separator: " ")
    }

    /// The lowercased names of the headers the signer signs, sorted and without duplicates.
    static func signableHeaderNames(_ headers: [HTTPHeaderField], excluding: Set<String> = []) -> [String] {
        let names = Set(headers.map { $0.name.lowercased() })
        return names.subtracting(unsignedHeaderNames).subtracting(excluding).sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
    }

    /// `name:value\n` for each signed name, in the given order; repeated headers are joined with `,`.
    static func canonicalHeaders(_ headers: [HTTPHeaderField], signedNames: [String]) -> String {
        var values = [String: [String]]()
        for header in headers {
            values[header.name.lowercased(), default: []].append(canonicalHeaderValue(header.value))
        }
        return signedNames.map { name in
            name + ":" + (values[name] ?? []).joined(separator: ",") + "\n"
        }.joined()
    }

    // MARK: Assembly

    static func canonicalRequest(
        method: String, path: String, query: String, headers: String, signedHeaders: [String], payloadHash: String
    ) -> String {
        [method, path, query, headers, signedHeaders.joined(separator: ";"), payloadHash].joined(separator: "\n")
    }

    static func credentialScope(shortDate: String, region: String, service: String) -> String {
        [shortDate, region, service, terminator].joined(separator: "/")
    }

    static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        [algorithm, amzDate, scope, hexSHA256(canonicalRequest)].joined(separator: "\n")
    }

    /// The canonical request with the session token's value (header or query parameter) replaced by `<redacted>`.
    static func redactingSessionToken(_ canonicalRequest: String) -> String {
        var lines = canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in lines.indices {
            if lines[index].hasPrefix("x-amz-security-token:") {
                lines[index] = "x-amz-security-token:<redacted>"
            } else if index == 2 {
                lines[index] = lines[index].split(separator: "&", omittingEmptySubsequences: false).map { pair in
                    pair.hasPrefix("X-Amz-Security-Token=") ? "X-Amz-Security-Token=<redacted>" : String(pair)
                }.joined(separator: "&")
            }
        }
        return lines.joined(separator: "\n")
    }
}
