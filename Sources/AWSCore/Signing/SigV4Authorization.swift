/// The parts of a SigV4 `Authorization` header:
/// `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ecr/aws4_request, SignedHeaders=host;x-amz-date, Signature=…`.
public struct SigV4Authorization: Sendable, Equatable {
    public var accessKeyId: String
    /// The credential scope's date, `yyyyMMdd`.
    public var date: String
    public var region: String
    public var service: String
    /// Signed header names, lowercased, in the order the header lists them.
    public var signedHeaders: [String]
    /// The hex signature as sent.
    public var signature: String

    public init(accessKeyId: String, date: String, region: String, service: String, signedHeaders: [String], signature: String) {
        self.accessKeyId = accessKeyId
        self.date = date
        self.region = region
        self.service = service
        self.signedHeaders = signedHeaders
        self.signature = signature
    }

    /// `20150830/us-east-1/ecr/aws4_request`.
    public var credentialScope: String {
        SigV4.credentialScope(shortDate: date, region: region, service: service)
    }

    /// Parses an `Authorization` header value. Throws `SigV4Error` naming what is missing or wrong.
    /// Separators are split on as UTF-8 bytes (as AWS reads the header), not as Characters: grapheme
    /// breaking was most of the parse's cost.
    public static func parse(_ headerValue: String) throws -> SigV4Authorization {
        if let parsed = parseCommon(headerValue) { return parsed }
        return try parseGeneral(headerValue)
    }

    /// Any header value: Unicode whitespace trimmed as AWS trims it, every refusal worded. The
    /// reference reading: `parse` answers as this does, and reads the usual header in one pass first
    /// (public so that fuzz-sigv4-header can hold the two to the same answer).
    public static func parseGeneral(_ headerValue: String) throws -> SigV4Authorization {
        let value = headerValue.trimmingSigV4WhitespaceAndNewlines()
        guard !value.isEmpty else {
            throw SigV4Error(code: .missingAuthenticationToken, message: "Authorization header is empty.")
        }
        let scheme = value.prefix { !$0.isWhitespace }
        guard scheme == SigV4.algorithm else {
            // The value of another scheme (Basic, Bearer) may be a secret: never echo it.
            let shown = scheme.count <= 32 ? String(scheme) : String(scheme.prefix(32)) + "…"
            throw SigV4Error(
                code: .incompleteSignature,
                message: "Authorization header uses unsupported algorithm '\(shown)'; expected '\(SigV4.algorithm)'."
            )
        }
        let echo = "Authorization=\(value)"
        var fields = [String: String]()
        let rest = value.dropFirst(scheme.count)
        for component in rest.utf8.split(separator: UInt8(ascii: ",")).map(Substring.init) {
            let trimmed = component.trimmingSigV4Whitespace()
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw SigV4Error(
                    code: .incompleteSignature,
                    message: "'\(trimmed)' not a valid key=value pair (missing equal-sign) in Authorization header: '\(value)'."
                )
            }
            let key = trimmed[..<equals].trimmingSigV4Whitespace()
            fields[key] = trimmed[trimmed.index(after: equals)...].trimmingSigV4Whitespace()
        }
        var missing = [String]()
        for name in ["Credential", "Signature", "SignedHeaders"] where (fields[name] ?? "").isEmpty {
            missing.append("Authorization header requires '\(name)' parameter.")
        }
        guard missing.isEmpty, let credential = fields["Credential"], let signedHeaders = fields["SignedHeaders"],
              let signature = fields["Signature"]
        else {
            throw SigV4Error(code: .incompleteSignature, message: (missing + [echo]).joined(separator: " "))
        }
        let scope = try parseCredential(credential)
        let headers = signedHeaders.utf8.split(separator: UInt8(ascii: ";")).map { Substring($0).trimmingSigV4Whitespace().lowercased() }
        guard !headers.isEmpty, !headers.contains("") else {
            throw SigV4Error(
                code: .authorizationHeaderMalformed,
                message: "SignedHeaders must be a non-empty list of header names separated by ';', got '\(signedHeaders)'. \(echo)"
            )
        }
        return SigV4Authorization(
            accessKeyId: scope.accessKeyId, date: scope.date, region: scope.region, service: scope.service,
            signedHeaders: headers, signature: signature
        )
    }

    /// The header as SDKs write it, read in one pass over its bytes: printable ASCII only, fields
    /// separated by commas and spaces, every part well formed. Nil for anything else, which `parse`
    /// then reads the general way (and words its refusal); for what this accepts, both read the same
    /// (`SigV4AuthorizationParsingTests` and fuzz-sigv4-header hold them to it). Names are compared as
    /// bytes and a string is made only for what the answer holds: the key id, the scope's date, region
    /// and service, each signed header name (lowercased as it is copied) and the signature.
    static func parseCommon(_ headerValue: String) -> SigV4Authorization? {
        var headerValue = headerValue
        return headerValue.withUTF8 { bytes -> SigV4Authorization? in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            func trimmed(_ range: Range<Int>) -> Range<Int> {
                var lower = range.lowerBound
                var upper = range.upperBound
                while lower < upper, bytes[lower] == 0x20 { lower += 1 }
                while upper > lower, bytes[upper - 1] == 0x20 { upper -= 1 }
                return lower..<upper
            }
            func equals(_ range: Range<Int>, _ expected: [UInt8]) -> Bool {
                guard range.count == expected.count else { return false }
                for offset in 0..<expected.count where bytes[range.lowerBound + offset] != expected[offset] { return false }
                return true
            }
            let value = trimmed(0..<bytes.count)
            let algorithm = ByteNames.algorithm
            guard value.count > algorithm.count, bytes[value.lowerBound + algorithm.count] == 0x20,
                  equals(value.lowerBound..<value.lowerBound + algorithm.count, algorithm)
            else { return nil }
            var credential: Range<Int>?
            var signedHeaders: Range<Int>?
            var signature: Range<Int>?
            var componentStart = value.lowerBound + algorithm.count
            while componentStart <= value.upperBound {
                let componentEnd = bytes[componentStart..<value.upperBound].firstIndex(of: UInt8(ascii: ",")) ?? value.upperBound
                let component = trimmed(componentStart..<componentEnd)
                componentStart = componentEnd + 1
                if component.isEmpty { continue }
                guard let equalsSign = bytes[component].firstIndex(of: UInt8(ascii: "=")) else { return nil }
                let key = trimmed(component.lowerBound..<equalsSign)
                let field = trimmed(equalsSign + 1..<component.upperBound)
                if equals(key, ByteNames.credential) {
                    credential = field
                } else if equals(key, ByteNames.signedHeaders) {
                    signedHeaders = field
                } else if equals(key, ByteNames.signature) {
                    signature = field
                }
            }
            guard let credential, !credential.isEmpty, let signedHeaders, !signedHeaders.isEmpty, let signature, !signature.isEmpty else { return nil }
            // The scope: exactly five parts, key id / yyyyMMdd / region / service / aws4_request.
            var scope: [Range<Int>] = []
            scope.reserveCapacity(5)
            var partStart = credential.lowerBound
            while partStart <= credential.upperBound {
                let partEnd = bytes[partStart..<credential.upperBound].firstIndex(of: UInt8(ascii: "/")) ?? credential.upperBound
                guard scope.count < 5 else { return nil }
                scope.append(partStart..<partEnd)
                partStart = partEnd + 1
            }
            guard scope.count == 5, !scope[0].isEmpty, !scope[2].isEmpty, !scope[3].isEmpty, equals(scope[4], ByteNames.terminator),
                  scope[1].count == 8, bytes[scope[1]].allSatisfy({ $0 >= 48 && $0 <= 57 })
            else { return nil }
            var headers: [String] = []
            var nameStart = signedHeaders.lowerBound
            while nameStart <= signedHeaders.upperBound {
                let nameEnd = bytes[nameStart..<signedHeaders.upperBound].firstIndex(of: UInt8(ascii: ";")) ?? signedHeaders.upperBound
                let name = trimmed(nameStart..<nameEnd)
                guard !name.isEmpty else { return nil }
                if bytes[name].contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
                    headers.append(String(unsafeUninitializedCapacity: name.count) { buffer in
                        for (offset, byte) in bytes[name].enumerated() { buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
                        return name.count
                    })
                } else {
                    headers.append(text(name))
                }
                nameStart = nameEnd + 1
            }
            return SigV4Authorization(
                accessKeyId: text(scope[0]), date: text(scope[1]), region: text(scope[2]), service: text(scope[3]), signedHeaders: headers,
                signature: text(signature))
        }
    }

    /// What `parseCommon` compares, as bytes.
    private enum ByteNames {
        static let algorithm = Array(SigV4.algorithm.utf8)
        static let terminator = Array(SigV4.terminator.utf8)
        static let credential = Array("Credential".utf8)
        static let signedHeaders = Array("SignedHeaders".utf8)
        static let signature = Array("Signature".utf8)
    }

    /// Parses `AKID/yyyyMMdd/region/service/aws4_request` into a value with empty headers and signature.
    static func parseCredential(_ credential: String) throws -> SigV4Authorization {
        let parts = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(Substring($0)) }
        guard parts.count == 5, !parts[0].isEmpty, !parts[2].isEmpty, !parts[3].isEmpty else {
            throw SigV4Error(
                code: .authorizationHeaderMalformed,
                message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '\(credential)'"
            )
        }
        guard parts[4] == SigV4.terminator else {
            throw SigV4Error(
                code: .authorizationHeaderMalformed,
                message: "Credential should be scoped with a valid terminator: 'aws4_request', not '\(parts[4])'."
            )
        }
        guard parts[1].utf8.count == 8, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw SigV4Error(
                code: .authorizationHeaderMalformed,
                message: "Invalid credential date '\(parts[1])'. It must be in YYYYMMDD format."
            )
        }
        return SigV4Authorization(
            accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3], signedHeaders: [], signature: ""
        )
    }
}
