import Crypto
import ECRWire
import Foundation

/// An error CloudTrail answers (JSON 1.1, HTTP 400 unless said otherwise).
struct CloudTrailError: Error, Sendable, Equatable {
    var code: CloudTrailErrorCode
    var message: String
    var status = 400

    /// The same JSON 1.1 error answer as ECR's (`__type`, `message`, `x-amzn-ErrorType`).
    var jsonError: ECRError { ECRError(ECRErrorCode(rawValue: code.rawValue), message, status: status) }

    static let throttled = CloudTrailError(code: .throttling, message: "Rate exceeded")
}

/// CloudTrail's LookupEvents over the records of one account and region: newest first, at most one
/// lookup attribute, an inclusive time window within the last 90 days, pages of 1 to 50 events with
/// an opaque NextToken bound to the query. Records younger than the configured delay are not shown.
struct LookupEventsHandler: Sendable {
    let store: RegistryStore
    let configuration: TrailConfiguration
    let limiter: TrailRateLimiter

    init(store: RegistryStore, configuration: TrailConfiguration) {
        self.store = store
        self.configuration = configuration
        limiter = TrailRateLimiter(rate: configuration.lookupRate)
    }

    func lookup(_ request: LookupEventsRequest, in key: RegistryKey, now: Date) async throws(CloudTrailError) -> LookupEventsResponse {
        guard limiter.take(key, now: now) else { throw .throttled }
        let maxResults = request.maxResults ?? CloudTrailConstraints.maxResults.max ?? 50
        guard CloudTrailConstraints.maxResults.allowsValue(maxResults) else {
            throw CloudTrailError(code: .invalidMaxResults, message: "A max results value of \(maxResults) is invalid. Specify max results between 1 and 50.")
        }
        let attributes = request.lookupAttributes ?? []
        guard attributes.count <= 1 else {
            throw CloudTrailError(code: .invalidLookupAttributes, message: "You can specify only one lookup attribute. Specified lookup attributes: \(attributes.count).")
        }
        let attribute = attributes.first
        if let attribute {
            guard attribute.attributeKey.isKnown else {
                throw CloudTrailError(code: .invalidLookupAttributes, message: "Lookup attribute key is not valid: \(attribute.attributeKey.rawValue).")
            }
            guard CloudTrailConstraints.attributeValue.allowsLength(attribute.attributeValue.count) else {
                throw CloudTrailError(code: .invalidLookupAttributes, message: "Lookup attribute value is not valid: it must be 1 to 2000 characters.")
            }
        }
        if let start = request.startTime, let end = request.endTime, start > end {
            throw CloudTrailError(code: .invalidTimeRange, message: "Start time must be before or equal to end time.")
        }
        let query = Self.fingerprint(request, key: key)
        var after: String?
        if let token = request.nextToken {
            guard let eventID = Self.eventID(inToken: token, query: query) else {
                throw CloudTrailError(code: .invalidNextToken, message: "Invalid NextToken: it does not belong to this query's parameters.")
            }
            after = eventID
        }
        // Insights events: the fake records none (an empty answer, as for an account without Insights).
        if request.eventCategory == .insight { return LookupEventsResponse(events: [], nextToken: nil) }
        let oldest = max(request.startTime ?? .distantPast, now.addingTimeInterval(-configuration.retention.maxAge))
        let newest = min(request.endTime ?? .distantFuture, now.addingTimeInterval(-configuration.delay))
        let records = store.trail(key)
        var events: [TrailEvent] = []
        var skipping = after != nil
        var more = false
        for record in records.reversed() {
            guard record.eventTime <= newest else { continue }
            guard record.eventTime >= oldest else { break }
            guard attribute.map({ Self.matches(record, $0) }) ?? true else { continue }
            if skipping {
                if record.eventID == after { skipping = false }
                continue
            }
            if events.count == maxResults {
                more = true
                break
            }
            events.append(Self.event(of: record))
        }
        if skipping { throw CloudTrailError(code: .invalidNextToken, message: "Invalid NextToken: the event it continues from is no longer in the history.") }
        let next = more ? events.last?.eventId.map { Self.token(query: query, eventID: $0) } : nil
        return LookupEventsResponse(events: events, nextToken: next)
    }

    /// Whether `record` has the attribute's value, as LookupEvents compares them.
    static func matches(_ record: CloudTrailRecord, _ attribute: LookupAttribute) -> Bool {
        let value = attribute.attributeValue
        switch attribute.attributeKey {
        case .eventId: return record.eventID == value
        case .eventName: return record.eventName == value
        case .readOnly: return String(record.readOnly) == value
        case .username: return TrailIdentity.username(of: record.userIdentity) == value
        case .resourceType: return record.resources?.contains { $0.type == value } ?? false
        case .resourceName: return record.resources?.contains { $0.arn == value || TrailIdentity.name(of: $0) == value } ?? false
        case .eventSource: return record.eventSource == value
        case .accessKeyId: return record.userIdentity.accessKeyId == value
        default: return false
        }
    }

    /// A record as one of LookupEvents' `Events`.
    static func event(of record: CloudTrailRecord) -> TrailEvent {
        TrailEvent(
            eventId: record.eventID, eventName: record.eventName, readOnly: String(record.readOnly), accessKeyId: record.userIdentity.accessKeyId,
            eventTime: record.eventTime, eventSource: record.eventSource, username: TrailIdentity.username(of: record.userIdentity),
            resources: record.resources?.map { TrailResource(resourceType: $0.type, resourceName: TrailIdentity.name(of: $0)) },
            cloudTrailEvent: try? record.jsonText())
    }

    // MARK: NextToken

    /// What a token is bound to: the registry and every parameter of the query but the page size.
    static func fingerprint(_ request: LookupEventsRequest, key: RegistryKey) -> String {
        let attribute = request.lookupAttributes?.first.map { "\($0.attributeKey.rawValue)=\($0.attributeValue)" } ?? ""
        let parts = [
            key.accountId, key.region, attribute, request.startTime.map { "\($0.timeIntervalSince1970)" } ?? "",
            request.endTime.map { "\($0.timeIntervalSince1970)" } ?? "", request.eventCategory?.rawValue ?? "",
        ]
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\n").utf8))
        return digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    static func token(query: String, eventID: String) -> String {
        Data("v1:\(query):\(eventID)".utf8).base64EncodedString()
    }

    /// The event a token continues after; nil for a token of another query, or not one of ours.
    static func eventID(inToken token: String, query: String) -> String? {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", parts[1] == query, !parts[2].isEmpty else { return nil }
        return String(parts[2])
    }
}
