import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Responses of the data plane: the `Docker-Distribution-Api-Version` and request id headers on
/// every answer, errors as `{"errors":[...]}` bodies, and query-string parsing.
extension DistributionPlane {
    static func query(_ text: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (text ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    static func unsupported(_ method: HTTPRequest.Method) -> DistributionError {
        .unsupported("The operation is unsupported: \(method.rawValue) is not a method of this registry API")
    }

    func reply(_ status: HTTPResponse.Status, headers: [(String, String)] = [], body: Data = Data(), head: Bool = false, requestId: String) -> Response {
        Self.reply(status, headers: headers, body: body, head: head, requestId: requestId)
    }

    static func reply(_ status: HTTPResponse.Status, headers: [(String, String)] = [], body: Data = Data(), head: Bool = false, requestId: String) -> Response {
        if head {
            var fields = fields(headers, requestId: requestId)
            if !fields.contains(.contentLength) { fields[.contentLength] = String(body.count) }
            return Response(status: status, headers: fields, body: ResponseBody())
        }
        return reply(status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)), requestId: requestId)
    }

    static func reply(_ status: HTTPResponse.Status, headers: [(String, String)], body: ResponseBody, requestId: String) -> Response {
        Response(status: status, headers: fields(headers, requestId: requestId), body: body)
    }

    static func fields(_ headers: [(String, String)], requestId: String) -> HTTPFields {
        var fields = HTTPFields()
        fields.set(HTTPField.Name("Docker-Distribution-Api-Version"), "registry/2.0")
        fields.set(HeaderNames.amznRequestId, requestId)
        for (name, value) in headers { fields.set(HTTPField.Name(name), value) }
        return fields
    }

    static func errorResponse(_ error: DistributionError, requestId: String) -> Response {
        let body = ErrorBody(errors: [.init(code: error.code, message: error.message, detail: [:])])
        return reply(
            error.status, headers: [("Content-Type", "application/json; charset=utf-8")] + error.headers,
            body: (try? jsonEncoder.encode(body)) ?? Data(), requestId: requestId)
    }

    /// `{"errors":[{"code":…,"message":…,"detail":{}}]}`
    struct ErrorBody: Encodable {
        struct Entry: Encodable {
            var code: String
            var message: String
            var detail: [String: String]
        }
        var errors: [Entry]
    }

    /// The encoder of the plane's JSON bodies (keys sorted, slashes as they are).
    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
