import AWSCore
import ECRWire
import Foundation
import Hummingbird

/// IAM's query API on the fake's one port: signed for `iam` (the global endpoint's region is
/// us-east-1), answered in IAM's XML, recorded in the caller's CloudTrail history (us-east-1, as
/// IAM's global events are).
extension FakeECRApp {
    func respondIAM(_ request: Request, body: ByteBuffer, exchange: TrailRequest) async -> Response {
        let requestId = exchange.requestId
        let now = Date()
        let parameters = STSHandler.parameters(query: request.uri.query, body: body)
        let action = parameters["Action"] ?? ""
        let caller: Caller
        switch await authenticate(request, body: body, now: now, counting: "iam:" + action, service: IAMService.signingName) {
        case .failure(let error):
            let sts = error.stsError
            let document = QueryCoding.errorDocument(namespace: IAMService.xmlNamespace, type: "Sender", code: sts.code, message: sts.message, requestId: requestId)
            return Self.xmlResponse(document, status: HTTPResponse.Status(code: sts.status), requestId: requestId)
        case .success(let value): caller = value
        }
        let (document, status, failure) = await iamAPI.respond(
            action: action, parameters: parameters, caller: caller, requestId: requestId, now: now, sourceIp: exchange.sourceIPAddress)
        var call = TrailCall(CloudTrailEventSource.iam, action)
        if let failure { call = call.refused(failure.code.rawValue, failure.message) }
        let identity = TrailIdentity.of(caller.principal, accessKeyId: caller.accessKeyId, now: now)
        await trail.record(call, in: RegistryKey(accountId: caller.principal.accountId, region: "us-east-1"), identity: identity, request: exchange, now: now)
        return Self.xmlResponse(document, status: HTTPResponse.Status(code: status), requestId: requestId)
    }
}
