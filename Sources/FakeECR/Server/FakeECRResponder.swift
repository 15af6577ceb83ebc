import ECRWire
import Foundation
import HTTPTypes
import Hummingbird

/// Routes every request of the single port: `/_fake/` admin, `/v2/` distribution (registry data plane),
/// `X-Amz-Target` ECR and CloudTrail JSON 1.1, `Action=` STS and IAM query (told apart by the action).
struct FakeECRResponder: HTTPResponder {
    typealias Context = FakeECRRequestContext
    let app: FakeECRApp
    static let maxBodySize = 16 * 1024 * 1024

    func respond(to request: Request, context: Context) async throws -> Response {
        let requestId = RequestIdentifier.make()
        let exchange = TrailRequest(request, peer: context.remoteAddress, requestId: requestId)
        let path = request.uri.path
        if path == "/v2" || path.hasPrefix("/v2/") {
            let action = DistributionRoute(path: path)?.ecrAction(request.method) ?? "Unknown"
            return await app.faults.respond(.registry, action, requestId: requestId) {
                await app.respondDistribution(request, exchange: exchange)
            }
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodySize)
        } catch {
            return ECRErrorResponse.response(ECRError(.serialization, "The request body is larger than \(Self.maxBodySize) bytes", status: 413), requestId: requestId)
        }
        if path == "/_fake" || path.hasPrefix("/_fake/") {
            return await app.admin.respond(request, peer: context.remoteAddress, body: body, requestId: requestId)
        }
        if let target = request.headers.value(HeaderNames.amzTarget) {
            if target.hasPrefix(CloudTrailService.targetPrefix + ".") {
                return await app.faults.respond(.cloudtrail, FakeECRApp.operationName(target), requestId: requestId) {
                    await app.respondCloudTrail(request, target: target, body: body, exchange: exchange)
                }
            }
            return await app.faults.respond(.ecr, FakeECRApp.operationName(target), requestId: requestId) {
                await app.respondECR(request, target: target, body: body, exchange: exchange)
            }
        }
        if STSHandler.isQueryRequest(query: request.uri.query, body: body, contentType: request.headers.value(HeaderNames.contentType)) {
            let action = STSHandler.parameters(query: request.uri.query, body: body)["Action"] ?? ""
            if IAMHandler.handles(action) {
                return await app.respondIAM(request, body: body, exchange: exchange)
            }
            return await app.faults.respond(.sts, action, requestId: requestId) {
                await app.respondSTS(request, body: body, exchange: exchange)
            }
        }
        if request.method == .post {
            return ECRErrorResponse.response(.unknownOperation(), requestId: requestId)
        }
        return AdminHandler.json(["error": "not found: \(request.method.rawValue) \(path)"], status: .notFound, requestId: requestId)
    }
}
