import ECRWire
import Foundation
import Hummingbird
import Logging
import NIOCore

/// What a record takes from the HTTP exchange beyond the call itself.
struct TrailRequest: Sendable {
    var sourceIPAddress: String
    var userAgent: String
    var requestId: String

    init(sourceIPAddress: String, userAgent: String, requestId: String) {
        self.sourceIPAddress = sourceIPAddress
        self.userAgent = userAgent
        self.requestId = requestId
    }

    init(_ request: Request, peer: SocketAddress?, requestId: String) {
        sourceIPAddress = peer?.ipAddress ?? "127.0.0.1"
        userAgent = request.headers.value(.userAgent) ?? ""
        self.requestId = requestId
    }
}

/// One call as the trail records it (the record's call-specific members).
struct TrailCall: Sendable {
    var eventSource: String
    var eventName: String
    var requestParameters: JSONValue?
    /// The answer's members: an ECR answer's own JSON text, kept unparsed (`DeferredJSON`).
    var responseElements: DeferredJSON?
    var errorCode: String?
    var errorMessage: String?
    var resources: [CloudTrailRecord.Resource]?

    init(
        _ eventSource: String, _ eventName: String, requestParameters: JSONValue? = nil, responseElements: DeferredJSON? = nil,
        errorCode: String? = nil, errorMessage: String? = nil, resources: [CloudTrailRecord.Resource]? = nil
    ) {
        self.eventSource = eventSource
        self.eventName = eventName
        self.requestParameters = requestParameters
        self.responseElements = responseElements
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.resources = resources
    }

    /// The call refused with `code` and `message` (no response elements, as CloudTrail logs it).
    func refused(_ code: String, _ message: String) -> TrailCall {
        var call = self
        call.errorCode = code
        call.errorMessage = message.isEmpty ? nil : message
        call.responseElements = nil
        return call
    }
}

/// Writes the CloudTrail records of the calls the fake answers, into the registry store (and so its
/// storage) before the answer is sent.
struct TrailRecorder: Sendable {
    let store: RegistryStore
    let directory: AccountDirectory
    let configuration: TrailConfiguration
    let logger: Logger

    /// Records `call` in `key`'s trail (the account and region CloudTrail logs it in) as `identity`'s.
    func record(_ call: TrailCall, in key: RegistryKey, identity: CloudTrailRecord.UserIdentity, request: TrailRequest, now: Date = Date()) async {
        let record = CloudTrailRecord(
            userIdentity: identity, eventTime: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)),
            eventSource: call.eventSource, eventName: call.eventName, awsRegion: key.region, sourceIPAddress: request.sourceIPAddress,
            userAgent: request.userAgent, errorCode: call.errorCode, errorMessage: call.errorMessage,
            requestParameters: call.requestParameters, responseElementsHeld: call.responseElements, requestID: request.requestId,
            eventID: RequestIdentifier.make(), readOnly: TrailIdentity.isReadOnly(call.eventName), resources: call.resources,
            recipientAccountId: key.accountId)
        do {
            try store.appendTrail(key, record, retention: configuration.retention, now: now)
        } catch {
            logger.error("fake-ecr: cannot record \(call.eventSource) \(call.eventName) in the trail of \(key.accountId)/\(key.region): \(error)")
        }
    }

    /// Records an event of ECR itself (`eventType` `AwsServiceEvent`, such as the lifecycle policy's
    /// `PolicyExecutionEvent`) in `key`'s trail, with its `serviceEventDetails`.
    func recordServiceEvent(_ eventName: String, in key: RegistryKey, details: JSONValue, resources: [CloudTrailRecord.Resource], now: Date) async {
        let record = CloudTrailRecord(
            userIdentity: CloudTrailRecord.UserIdentity(type: "AWSService", accountId: key.accountId, invokedBy: "AWS Internal"),
            eventTime: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)), eventSource: CloudTrailEventSource.ecr,
            eventName: eventName, awsRegion: key.region, sourceIPAddress: "AWS Internal", userAgent: "AWS Internal",
            requestID: RequestIdentifier.make(), eventID: RequestIdentifier.make(), readOnly: false, resources: resources,
            eventType: "AwsServiceEvent", recipientAccountId: key.accountId, serviceEventDetails: details)
        do {
            try store.appendTrail(key, record, retention: configuration.retention, now: now)
        } catch {
            logger.error("fake-ecr: cannot record \(eventName) in the trail of \(key.accountId)/\(key.region): \(error)")
        }
    }

    /// The identity of a `/v2/` caller, known by the ARN its registry password names.
    func identity(of principal: AccessPrincipal, now: Date) async -> CloudTrailRecord.UserIdentity {
        if let known = await directory.principal(arn: principal.arn) {
            return TrailIdentity.of(known.principal, accessKeyId: known.accessKeyId, now: now)
        }
        let fallback = AccountDirectory.Principal(
            accountId: principal.accountId, secretAccessKey: nil, sessionToken: nil, expiration: nil, arn: principal.arn,
            userId: AccountDirectory.userId(for: principal.arn))
        return TrailIdentity.of(fallback, accessKeyId: nil, now: now)
    }

    /// The resources of an ECR call whose parameters name a repository (`repositoryName`, `registryId`).
    static func ecrResources(_ parameters: JSONValue?, caller key: RegistryKey) -> [CloudTrailRecord.Resource]? {
        guard let name = parameters?["repositoryName"]?.stringValue else { return nil }
        let registry = parameters?["registryId"]?.stringValue.map { RegistryKey(accountId: $0, region: key.region) } ?? key
        return [TrailIdentity.repository(name, in: registry)]
    }
}
