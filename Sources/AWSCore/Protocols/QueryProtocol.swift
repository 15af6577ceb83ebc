import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The AWS query protocol (STS): form-encoded `Action=…&Version=…` POSTed to /, XML answers.
public struct QueryProtocol: Sendable {
    public let client: AWSClient
    public let service: AWSServiceConfig

    public init(client: AWSClient, service: AWSServiceConfig) {
        self.client = client
        self.service = service
    }

    /// Calls `action` with `parameters` and returns the parsed XML answer.
    public func call(_ action: String, parameters: [(String, String)]) async throws -> XMLAnswer {
        var pairs = [("Action", action), ("Version", service.apiVersion)]
        pairs.append(contentsOf: parameters)
        let body = Self.formEncode(pairs)
        let request = AWSHTTPRequest(
            method: "POST",
            url: service.endpoint.appendingPathComponent("/"),
            headers: [HTTPHeaderField(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
            body: Data(body.utf8)
        )
        let qualified = service.signingName + ":" + action
        let response = try await client.send(request, operation: qualified, service: service, decodeError: Self.decodeError)
        do {
            return try XMLAnswer(data: response.body)
        } catch {
            throw AWSServiceError(code: "SerializationException", message: "could not read the answer to \(action): \(error)",
                                  httpStatus: response.status, requestId: response.requestId, operation: qualified)
        }
    }

    /// `application/x-www-form-urlencoded` as the SDKs write it (RFC 3986 unreserved characters kept).
    public static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
    }

    /// RFC 3986 unreserved characters stay; every other UTF-8 byte is %XX.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// Reads `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`.
    @Sendable public static func decodeError(_ response: AWSHTTPResponse) -> AWSServiceError {
        if let answer = try? XMLAnswer(data: response.body), let code = answer.text(at: ["Error", "Code"]) {
            return AWSServiceError(
                code: code,
                message: answer.text(at: ["Error", "Message"]) ?? "",
                httpStatus: response.status,
                requestId: answer.text(at: ["RequestId"]) ?? response.requestId)
        }
        let code = response.status >= 500 ? "InternalFailure" : "HTTP\(response.status)"
        return AWSServiceError(code: code, message: String(decoding: response.body.prefix(500), as: UTF8.self),
                               httpStatus: response.status, requestId: response.requestId)
    }
}

/// A parsed XML answer with path look-ups that ignore namespaces.
public struct XMLAnswer: @unchecked Sendable {
    // XMLDocument is a class; an XMLAnswer is never mutated after init, so sharing it is safe.
    private let root: XMLElement

    public init(data: Data) throws {
        let document = try XMLDocument(data: data, options: [])
        guard let root = document.rootElement() else {
            throw AWSServiceError(code: "SerializationException", message: "empty XML document", httpStatus: 200)
        }
        self.root = root
    }

    /// The root element's local name, e.g. "AssumeRoleResponse".
    public var rootName: String { root.localName ?? root.name ?? "" }

    /// The text of the first element found by following `path` (local names) from the root, searching
    /// at any depth for the first component.
    public func text(at path: [String]) -> String? {
        guard let first = path.first else { return root.stringValue }
        var candidates = Self.descendants(of: root, named: first)
        for name in path.dropFirst() {
            candidates = candidates.flatMap { Self.children(of: $0, named: name) }
        }
        return candidates.first?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func children(of element: XMLElement, named name: String) -> [XMLElement] {
        (element.children ?? []).compactMap { $0 as? XMLElement }.filter { ($0.localName ?? $0.name) == name }
    }

    private static func descendants(of element: XMLElement, named name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        for child in (element.children ?? []).compactMap({ $0 as? XMLElement }) {
            if (child.localName ?? child.name) == name { found.append(child) }
            found.append(contentsOf: descendants(of: child, named: name))
        }
        return found
    }
}
