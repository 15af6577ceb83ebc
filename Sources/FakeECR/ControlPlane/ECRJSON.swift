import ECRWire
import Foundation
import HTTPTypes
import Hummingbird

/// JSON 1.1 coding of ECR requests and responses (timestamps as epoch seconds).
enum ECRJSON {
    static let contentType = "application/x-amz-json-1.1"

    /// The shared decoder (configured once, never changed afterwards); answers are encoded by
    /// `StreamingJSONEncoder`, dates as epoch seconds too.
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    /// The input `type` of the body: from `parsed`, the body as already read (`JSONValue(json:)`; nil:
    /// not JSON), when `JSONValueDecoder` decodes it; else, and for every refusal, as JSONDecoder reads the text.
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer, parsed: JSONValue?) throws -> T {
        if let parsed, let value = try? JSONValueDecoder.decode(type, from: parsed) { return value }
        return try decode(type, from: body)
    }

    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws -> T {
        let bytes = body.readableBytes == 0 ? Data("{}".utf8) : Data(body.readableBytesView)
        do {
            return try decoder.decode(type, from: bytes)
        } catch let error as DecodingError {
            throw translate(error)
        } catch {
            throw ECRError.serialization("Could not parse the request body: \(error.localizedDescription)")
        }
    }

    static func translate(_ error: DecodingError) -> ECRError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { key in key.intValue.map { "member.\($0 + 1)" } ?? key.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .validation(nil, path(context.codingPath + [key]), "Member must not be null")
        case .valueNotFound(_, let context):
            return .validation(nil, path(context.codingPath), "Member must not be null")
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return .serialization("Start of structure or map found where not expected.") }
            return .serialization("Unexpected value at '\(path(context.codingPath))': expected \(type)")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .serialization("The request body is not valid JSON") }
            return .serialization("Unexpected value at '\(path(context.codingPath))'")
        @unknown default:
            return .serialization("Could not parse the request body")
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> Data { try StreamingJSONEncoder.encode(value) }

    static func response<T: Encodable>(_ value: T, requestId: String) throws -> Response {
        response(data: try encode(value), requestId: requestId)
    }

    /// A 200 answer with a JSON 1.1 body.
    static func response(data: Data, requestId: String) -> Response {
        Response(status: .ok, headers: headers(requestId: requestId), body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON 1.1 answer's headers; an error's also name its type (`x-amzn-ErrorType`). A new set of
    /// fields takes them appended (`set` would look for each one already there first).
    static func headers(requestId: String, errorType: String? = nil) -> HTTPFields {
        var headers = HTTPFields()
        headers.reserveCapacity(3)
        headers.append(HTTPField(name: HeaderNames.contentType, value: contentType))
        if let errorType, let name = HeaderNames.amznErrorType { headers.append(HTTPField(name: name, value: errorType + ":")) }
        if let name = HeaderNames.amznRequestId { headers.append(HTTPField(name: name, value: requestId)) }
        return headers
    }
}
