import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension FaultInjector {
    /// Answers one request of `plane`, with the plan's fault for it if it gets one: errors and empty or
    /// dropped answers replace the request (nothing is changed), latency delays it, truncation cuts its answer.
    func respond(
        _ plane: FaultPlan.Plane, _ operation: String, requestId: String, _ respond: () async -> Response
    ) async -> Response {
        guard let rule = decide(plane, operation) else { return await respond() }
        switch rule.fault {
        case .latency:
            try? await Task.sleep(for: .milliseconds(rule.latencyMilliseconds ?? 0))
            return await respond()
        case .truncatedBody:
            return Self.truncated(await respond())
        case .emptyBody:
            return Response(status: .ok, headers: Self.headers(plane, requestId: requestId), body: ResponseBody())
        case .reset:
            // Headers go out, then the connection is closed before the promised body.
            return Response(status: .ok, headers: Self.headers(plane, requestId: requestId), body: ResponseBody(contentLength: 64) { _ in
                throw InjectedFault.connectionReset
            })
        case .throttle, .serverError, .unavailable:
            return Self.errorResponse(rule.fault, plane, requestId: requestId)
        }
    }

    /// The service's own error for an injected throttle, 500 or 503.
    static func errorResponse(_ fault: FaultPlan.Fault, _ plane: FaultPlan.Plane, requestId: String) -> Response {
        switch plane {
        case .sts:
            let error = switch fault {
            case .throttle: STSError(code: "Throttling", status: 400, message: "Rate exceeded")
            case .unavailable: STSError(code: "ServiceUnavailable", status: 503, message: "Service is unavailable", type: "Receiver")
            default: STSError(code: "InternalFailure", status: 500, message: "The request processing has failed because of an unknown error.", type: "Receiver")
            }
            return FakeECRApp.xmlResponse(STSXML.error(error, requestId: requestId), status: HTTPResponse.Status(code: error.status), requestId: requestId)
        case .registry:
            let error = switch fault {
            case .throttle: DistributionError("TOOMANYREQUESTS", "Rate exceeded", status: .tooManyRequests)
            case .unavailable: DistributionError.unavailable("Service is unavailable")
            default: DistributionError.internalError("We encountered an internal error. Please try again.")
            }
            return DistributionPlane.errorResponse(error, requestId: requestId)
        case .ecr, .cloudtrail, .any:
            let error = switch fault {
            case .throttle: ECRError(.throttling, "Rate exceeded")
            case .unavailable: ECRError(.serviceUnavailable, "Service is unavailable", status: 503)
            default: ECRError.server("We encountered an internal error. Please try again.")
            }
            return ECRErrorResponse.response(error, requestId: requestId)
        }
    }

    /// The answer's headers and status, with only the first half of its body before the connection closes.
    static func truncated(_ response: Response) -> Response {
        let body = response.body
        let keep = (body.contentLength ?? 2) / 2
        var cut = response
        cut.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(TruncatingWriter(base: writer, remaining: keep))
        }
        return cut
    }

    static func headers(_ plane: FaultPlan.Plane, requestId: String) -> HTTPFields {
        var headers = HTTPFields()
        headers.set(HeaderNames.contentType, plane == .sts ? STSXML.contentType : plane == .registry ? "application/json" : ECRJSON.contentType)
        headers.set(HeaderNames.amznRequestId, requestId)
        return headers
    }
}

/// Why an injected fault ended a response early (the server then closes the connection).
enum InjectedFault: Error {
    case connectionReset
    case truncated
}

/// Passes on the first `remaining` bytes of a body, then fails, so the connection closes short of the
/// length promised in the headers.
struct TruncatingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    var remaining: Int

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard remaining > 0 else { throw InjectedFault.truncated }
        if buffer.readableBytes <= remaining {
            remaining -= buffer.readableBytes
            try await base.write(buffer)
            return
        }
        var part = buffer
        if let slice = part.readSlice(length: remaining) { try await base.write(slice) }
        remaining = 0
        throw InjectedFault.truncated
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        throw InjectedFault.truncated
    }
}
