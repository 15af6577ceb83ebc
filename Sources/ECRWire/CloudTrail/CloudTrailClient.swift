import AWSCore
import Foundation

/// CloudTrail's `LookupEvents` over AWS JSON 1.1: the account's event history (90 days of management events).
public struct CloudTrailClient: Sendable {
    /// Largest page LookupEvents serves (the model's `MaxResults` maximum).
    public static let maxPageSize = CloudTrailConstraints.maxResults.max ?? 50
    /// Requests per second LookupEvents takes per account and region (CloudTrail's documented quota).
    public static let lookupRequestsPerSecond = 2

    public let json: JSONProtocol

    public init(client: AWSClient, endpoint: URL, region: String) {
        let service = AWSServiceConfig(
            serviceId: CloudTrailService.serviceId, signingName: CloudTrailService.signingName, endpoint: endpoint, region: region,
            apiVersion: CloudTrailService.apiVersion, targetPrefix: CloudTrailService.targetPrefix)
        self.json = JSONProtocol(client: client, service: service)
    }

    public func lookupEvents(_ input: LookupEventsRequest) async throws -> LookupEventsResponse {
        try await json.call(CloudTrailOperation.lookupEvents.rawValue, input)
    }
}
