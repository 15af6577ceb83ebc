import Foundation

/// The AWS JSON 1.1 protocol (ECR): POST / with `X-Amz-Target: <prefix>.<Operation>`, JSON in and out,
/// timestamps as epoch seconds, errors as `{"__type": ..., "message": ...}`.
public struct JSONProtocol: Sendable {
    public let client: AWSClient
    public let service: AWSServiceConfig

    public init(client: AWSClient, service: AWSServiceConfig) {
        self.client = client
        self.service = service
    }

    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    public func call<Input: Encodable & Sendable, Output: Decodable>(_ operation: String, _ input: Input, as: Output.Type = Output.self) async throws -> Output {
        let body = try Self.makeEncoder().encode(input)
        let target = (service.targetPrefix.map { $0 + "." } ?? "") + operation
        let request = AWSHTTPRequest(
            method: "POST",
            url: service.endpoint.appendingPathComponent("/"),
            headers: [
                HTTPHeaderField(name: "Content-Type", value: "application/x-amz-json-1.1"),
                HTTPHeaderField(name: "X-Amz-Target", value: target),
            ],
            body: body
        )
        let qualified = service.signingName + ":" + operation
        let response = try await client.send(request, operation: qualified, service: service, decodeError: Self.decodeError)
        do {
            return try Self.makeDecoder().decode(Output.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body)
        } catch {
            throw AWSServiceError(
                code: "SerializationException",
                message: "could not read the answer to \(operation): \(error)",
                httpStatus: response.status, requestId: response.requestId, operation: qualified)
        }
    }

    /// Reads a JSON protocol error: `__type` (or `code`) may be namespaced ("ns#Code") or carry a suffix ("Code:http://…").
    @Sendable public static func decodeError(_ response: AWSHTTPResponse) -> AWSServiceError {
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        let rawType = (response.header("x-amzn-ErrorType") ?? (object["__type"] as? String) ?? (object["code"] as? String) ?? "")
        var code = rawType
        if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
        if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
        if code.isEmpty { code = response.status >= 500 ? "InternalFailure" : "HTTP\(response.status)" }
        let message = (object["message"] as? String) ?? (object["Message"] as? String) ?? (object["errorMessage"] as? String)
            ?? String(decoding: response.body.prefix(500), as: UTF8.self)
        return AWSServiceError(code: code, message: message, httpStatus: response.status, requestId: response.requestId)
    }
}
