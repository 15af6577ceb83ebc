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
        return try Self.decodeAnswer(Output.self, from: response, operation: operation, qualified: qualified)
    }

    /// Reads a successful answer's body as `Output`, as `call` does: an empty body or one that does not
    /// decode is a `SerializationException` naming the operation and, for a decoding error, the path.
    /// - Parameters:
    ///   - operation: the operation's name, e.g. `DescribeRepositories`.
    ///   - qualified: `<signing name>:<operation>`, e.g. `ecr:DescribeRepositories`.
    public static func decodeAnswer<Output: Decodable>(
        _ type: Output.Type, from response: AWSHTTPResponse, operation: String, qualified: String
    ) throws -> Output {
        // Every JSON 1.1 answer is a JSON object, `{}` at the least: an empty body is a broken answer.
        guard response.body.contains(where: { !isJSONWhitespace($0) }) else {
            throw AWSServiceError(
                code: "SerializationException",
                message: "the answer to \(operation) (HTTP \(response.status)) has an empty body; expected a JSON object",
                httpStatus: response.status, requestId: response.requestId, operation: qualified)
        }
        do {
            return try makeDecoder().decode(Output.self, from: response.body)
        } catch {
            throw AWSServiceError(
                code: "SerializationException",
                message: "could not read the answer to \(operation) (HTTP \(response.status)): \(describe(error))",
                httpStatus: response.status, requestId: response.requestId, operation: qualified)
        }
    }

    static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// A decoding error as a path and a problem, without the decoder's long debug text.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return text.isEmpty ? "the answer" : String(text.drop { $0 == "." })
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), found null"
        case .keyNotFound(let key, let context): return "\(path(context)): missing member '\(key.stringValue)'"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// Reads a JSON protocol error: `__type` (or `code`) may be namespaced ("ns#Code") or carry a suffix ("Code:http://…").
    @Sendable public static func decodeError(_ response: AWSHTTPResponse) -> AWSServiceError {
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        let rawType = (response.header("x-amzn-ErrorType") ?? (object["__type"] as? String) ?? (object["code"] as? String) ?? "")
        var code = rawType
        if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
        if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
        if code.isEmpty { return AWSServiceError(unreadableAnswer: response) }
        let message = (object["message"] as? String) ?? (object["Message"] as? String) ?? (object["errorMessage"] as? String)
            ?? String(decoding: response.body.prefix(500), as: UTF8.self)
        return AWSServiceError(code: code, message: message, httpStatus: response.status, requestId: response.requestId)
    }
}
