import ECRWire
import Foundation

/// What LabCheck reads of an ECR record: the request's members (lowerCamel, as ECR's shapes name
/// them), a few response members, and whether the call succeeded. A refused call (`errorCode`) is
/// never evidence.
extension CloudTrailRecord {
    var succeeded: Bool { (errorCode ?? "").isEmpty }

    /// A string member of `requestParameters`.
    func parameter(_ name: String) -> String? { requestParameters?[name]?.stringValue }

    /// A string member of `responseElements` at a path (`["image", "imageId", "imageDigest"]`).
    func response(_ path: String...) -> String? {
        var value = responseElements
        for key in path { value = value?[key] }
        return value?.stringValue
    }

    /// The repository the call names (request, else response).
    var repositoryName: String? { parameter("repositoryName") ?? response("repository", "repositoryName") }

    /// The cache-rule prefix the call names.
    var ecrRepositoryPrefix: String? { parameter("ecrRepositoryPrefix") ?? response("ecrRepositoryPrefix") }

    /// The tags a BatchGetImage asked for (`imageIds: [{imageTag}]`).
    var requestedTags: [String] {
        (requestParameters?["imageIds"]?.arrayValue ?? []).compactMap { $0["imageTag"]?.stringValue }
    }

    var reference: TrailEventReference {
        TrailEventReference(eventName: eventName, eventTime: eventTime, eventId: eventID, principalArn: userIdentity.arn)
    }

    /// `2026-12-02T01:02:03Z`, as reports word an event's time.
    var timeText: String { Self.timeText(eventTime) }
}
