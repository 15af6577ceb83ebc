import AWSCore
import Foundation
import Testing

/// Loading and parsing of the SigV4 test suites under Vectors/ (see Vectors/SOURCES.txt).
enum SigV4Vectors {
    static let accessKeyId = "AKIDEXAMPLE"
    static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let region = "us-east-1"
    static let service = "service"
    /// 2015-08-30T12:36:00Z.
    static let date = Date(timeIntervalSince1970: 1_440_938_160)

    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    static var root: URL? {
        Bundle.module.url(forResource: "Vectors", withExtension: nil)
    }

    static var classicRoot: URL? { root?.appendingPathComponent("aws4_testsuite") }
    static var awslabsRoot: URL? { root?.appendingPathComponent("aws-signing-test-suite-v4") }

    /// Classic cases, as paths relative to aws4_testsuite/ without extension, e.g.
    /// `get-vanilla/get-vanilla`, `normalize-path/get-space/get-space`.
    static let classicCases: [String] = {
        guard let base = classicRoot,
              let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        else { return [] }
        var cases = [String]()
        let basePath = base.standardizedFileURL.path
        for case let url as URL in enumerator where url.pathExtension == "req" {
            let full = url.standardizedFileURL.deletingPathExtension().path
            cases.append(String(full.dropFirst(basePath.count + 1)))
        }
        return cases.sorted()
    }()

    /// awslabs cases: the folder names under aws-signing-test-suite-v4/.
    static let awslabsCases: [String] = {
        guard let base = awslabsRoot,
              let names = try? FileManager.default.contentsOfDirectory(atPath: base.path)
        else { return [] }
        return names.filter {
            FileManager.default.fileExists(atPath: base.appendingPathComponent($0).appendingPathComponent("context.json").path)
        }.sorted()
    }()

    static func data(_ url: URL?) throws -> Data {
        guard let url else { throw LoadError(description: "Vectors folder is missing from the test bundle") }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw LoadError(description: "cannot read \(url.path): \(error)")
        }
    }

    static func text(_ url: URL?) throws -> String {
        String(decoding: try data(url), as: UTF8.self)
    }

    static func classicFile(_ name: String, _ ext: String) throws -> String {
        try text(classicRoot?.appendingPathComponent(name + "." + ext))
    }

    static func awslabsFile(_ name: String, _ file: String) throws -> String {
        try text(awslabsRoot?.appendingPathComponent(name).appendingPathComponent(file))
    }

    /// context.json of the awslabs suite.
    struct Context: Decodable {
        struct Credentials: Decodable {
            var accessKeyId: String
            var secretAccessKey: String
            var token: String?
            enum CodingKeys: String, CodingKey {
                case accessKeyId = "access_key_id"
                case secretAccessKey = "secret_access_key"
                case token
            }
        }

        var credentials: Credentials
        var expirationInSeconds: Int
        var normalize: Bool
        var region: String
        var service: String
        var signBody: Bool
        var timestamp: String
        var omitSessionToken: Bool?

        enum CodingKeys: String, CodingKey {
            case credentials, normalize, region, service, timestamp
            case expirationInSeconds = "expiration_in_seconds"
            case signBody = "sign_body"
            case omitSessionToken = "omit_session_token"
        }

        var date: Date? { ISO8601DateFormatter().date(from: timestamp) }

        var options: SigV4Options {
            SigV4Options(
                normalizePath: normalize,
                doubleURIEncode: true,
                addContentSHA256Header: signBody,
                omitSessionTokenFromSignature: omitSessionToken ?? false
            )
        }

        var signer: SigV4Signer {
            SigV4Signer(
                credentials: AWSCore.Credentials(
                    accessKeyId: credentials.accessKeyId,
                    secretAccessKey: credentials.secretAccessKey,
                    sessionToken: credentials.token
                ),
                region: region,
                service: service
            )
        }
    }

    static func context(_ name: String) throws -> Context {
        try JSONDecoder().decode(Context.self, from: data(awslabsRoot?.appendingPathComponent(name).appendingPathComponent("context.json")))
    }
}

/// The raw HTTP/1.1 requests of the suites: `METHOD target HTTP/1.1`, `Name:value` lines (a line
/// starting with whitespace continues the previous value), a blank line, the body.
enum SigV4RawHTTP {
    static func parse(_ text: String) throws -> SignableRequest {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        let head: Substring
        let body: Substring
        if let separator = normalized.range(of: "\n\n") {
            head = normalized[..<separator.lowerBound]
            body = normalized[separator.upperBound...]
        } else {
            head = normalized[...]
            body = ""
        }
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        guard let requestLine = lines.first,
              let firstSpace = requestLine.firstIndex(of: " "),
              let lastSpace = requestLine.lastIndex(of: " "),
              firstSpace < lastSpace
        else { throw SigV4Vectors.LoadError(description: "bad request line in \(text.prefix(80))") }
        let method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        let path: String
        let query: String
        if let question = target.firstIndex(of: "?") {
            path = String(target[..<question])
            query = String(target[target.index(after: question)...])
        } else {
            path = target
            query = ""
        }
        var headers = [HTTPHeaderField]()
        for line in lines.dropFirst() {
            if line.first == " " || line.first == "\t" {
                guard !headers.isEmpty else { throw SigV4Vectors.LoadError(description: "continuation line without a header") }
                headers[headers.count - 1].value += "\n" + line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw SigV4Vectors.LoadError(description: "header line without ':' \(line)")
            }
            headers.append(HTTPHeaderField(name: String(line[..<colon]), value: String(line[line.index(after: colon)...])))
        }
        return SignableRequest(method: method, path: path, query: query, headers: headers, body: Data(body.utf8))
    }

    /// The request as the awslabs `*-signed-request.txt` files write it.
    static func serialize(_ request: SignableRequest) -> String {
        var text = "\(request.method) \(request.requestTarget) HTTP/1.1\n"
        for header in request.headers {
            text += "\(header.name):\(header.value)\n"
        }
        return text + "\n" + String(decoding: request.body, as: UTF8.self)
    }
}
