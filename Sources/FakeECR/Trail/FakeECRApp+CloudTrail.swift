import ECRWire
import Foundation
import Hummingbird

extension FakeECRApp {
    /// Answers a CloudTrail JSON 1.1 call (`X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.*`):
    /// LookupEvents, scoped to the caller's account and signing region. LookupEvents itself is not
    /// recorded in the trail (a history that grows with every look at it would feed back).
    func respondCloudTrail(_ request: Request, target: String, body: ByteBuffer, exchange: TrailRequest) async -> Response {
        let requestId = exchange.requestId
        let now = Date()
        let name = Self.operationName(target)
        let caller: Caller
        switch await authenticate(request, body: body, now: now, counting: "cloudtrail:" + name) {
        case .failure(let error): return ECRErrorResponse.response(error.ecrError, requestId: requestId)
        case .success(let value): caller = value
        }
        guard CloudTrailOperation(target: target) == .lookupEvents else {
            return ECRErrorResponse.response(.unknownOperation(), requestId: requestId)
        }
        do {
            do {
                try await gate.authorize(
                    caller.principal.access, action: "cloudtrail:" + CloudTrailOperation.lookupEvents.rawValue, region: caller.region,
                    from: exchange.sourceIPAddress)
            } catch {
                throw CloudTrailError(code: .accessDenied, message: error.message)
            }
            let input = try ECRJSON.decode(LookupEventsRequest.self, from: body)
            let output = try await lookup.lookup(input, in: caller.registry, now: now)
            return ECRJSON.response(data: try ECRJSON.encode(output), requestId: requestId)
        } catch let error as CloudTrailError {
            logger.debug("cloudtrail:\(name) -> \(error.code)", metadata: ["request-id": "\(requestId)"])
            return ECRErrorResponse.response(error.jsonError, requestId: requestId)
        } catch let error as ECRError {
            return ECRErrorResponse.response(error, requestId: requestId)
        } catch {
            logger.error("cloudtrail:\(name) failed: \(error)", metadata: ["request-id": "\(requestId)"])
            return ECRErrorResponse.response(.server("Internal error: \(error)"), requestId: requestId)
        }
    }
}
