import Foundation

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
        } catch let error as XMLAnswer.ReadError {
            throw AWSServiceError(code: "SerializationException", message: "could not read the answer to \(action) (HTTP \(response.status)): \(error)",
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

    /// Reads `<ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>`. An answer without
    /// one (empty, HTML from a proxy) is `InternalFailure` for a 5xx, `HTTP<status>` otherwise.
    @Sendable public static func decodeError(_ response: AWSHTTPResponse) -> AWSServiceError {
        if let answer = try? XMLAnswer(data: response.body), let code = answer.text(at: ["Error", "Code"]), !code.isEmpty {
            return AWSServiceError(
                code: code,
                message: answer.text(at: ["Error", "Message"]) ?? "",
                httpStatus: response.status,
                requestId: answer.text(at: ["RequestId"]) ?? response.requestId)
        }
        return AWSServiceError(unreadableAnswer: response)
    }
}
