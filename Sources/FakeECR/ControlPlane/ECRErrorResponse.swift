import Foundation
import Hummingbird

/// Writes an `ECRError` exactly as ECR does: HTTP 400 (500 for ServerException), a JSON 1.1 body
/// `{"__type": ..., "message": ...}` and the `x-amzn-ErrorType` / `x-amzn-RequestId` headers.
enum ECRErrorResponse {
    static func response(_ error: ECRError, requestId: String) -> Response {
        var object: [String: String] = ["__type": error.type]
        if !error.message.isEmpty { object["message"] = error.message }
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: HTTPResponse.Status(code: error.status),
            headers: ECRJSON.headers(requestId: requestId, errorType: error.type),
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
