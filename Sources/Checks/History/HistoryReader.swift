import AWSCore
import ECRWire
import Foundation
import Logging

/// Reads one account's ECR history from CloudTrail's LookupEvents, over a window, with as few calls
/// as the API allows: each lookup (one attribute, all pages) is made once and shared by every step
/// that needs it, paced to CloudTrail's quota (2 requests/s per account and region), and a
/// `ThrottlingException` that outlasts the client's own retries is retried again with backoff.
///
/// Lookups LabCheck makes (see `TrailJudge`), chosen because they stay small on an account where
/// cluster nodes pull images all day (thousands of `BatchGetImage` events it never pages through):
/// `EventName` = CreateRepository, DeleteRepository, CreatePullThroughCacheRule,
/// DeletePullThroughCacheRule, PutImage (rare events: one page each for a lab), and `ResourceName` =
/// the pull-through cache repository (`<prefix>/nginx/nginx`: only that repository's events).
public actor HistoryReader {
    let cloudTrail: CloudTrailClient
    let start: Date
    let end: Date
    let pacer: LookupPacer
    let throttleRetries: Int
    let backoff: @Sendable (Int) -> Duration
    private var lookups: [LookupAttribute: Task<[CloudTrailRecord], any Error>] = [:]
    /// The `User-Agent` LabCheck's own calls carry (`labcheck/1.0`), which CloudTrail records as `userAgent`.
    let ownUserAgent: String?
    /// The newest call that changed something, in any lookup (for the delivery-lag warning).
    public private(set) var newestEventTime: Date?
    /// LookupEvents requests made (pages, throttled retries included).
    public private(set) var requests = 0
    /// The most pages one lookup reads (50 events each): beyond, the lookup stops and says so.
    public static let maxPages = 200
    private let logger = Logger(label: "labcheck.history")

    public init(
        cloudTrail: CloudTrailClient, start: Date, end: Date, ownUserAgent: String? = nil, pacer: LookupPacer = LookupPacer(),
        throttleRetries: Int = 6, backoff: @escaping @Sendable (Int) -> Duration = { .milliseconds(500 << min($0, 5)) }
    ) {
        self.cloudTrail = cloudTrail
        self.start = start
        self.end = end
        self.ownUserAgent = ownUserAgent
        self.pacer = pacer
        self.throttleRetries = throttleRetries
        self.backoff = backoff
    }

    /// The successful and refused ECR calls of this name in the window, oldest first.
    public func events(named eventName: String) async throws -> [CloudTrailRecord] {
        try await lookup(LookupAttribute(attributeKey: .eventName, attributeValue: eventName))
    }

    /// Every ECR event of this repository in the window, oldest first.
    public func events(ofRepository name: String) async throws -> [CloudTrailRecord] {
        try await lookup(LookupAttribute(attributeKey: .resourceName, attributeValue: name))
    }

    func lookup(_ attribute: LookupAttribute) async throws -> [CloudTrailRecord] {
        if let task = lookups[attribute] { return try await task.value }
        let task = Task { try await self.fetch(attribute) }
        lookups[attribute] = task
        return try await task.value
    }

    private func fetch(_ attribute: LookupAttribute) async throws -> [CloudTrailRecord] {
        var records: [CloudTrailRecord] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await page(LookupEventsRequest(
                lookupAttributes: [attribute], startTime: start, endTime: end, maxResults: CloudTrailClient.maxPageSize, nextToken: token))
            for event in page.events ?? [] {
                // An event whose record cannot be read is never evidence.
                guard let text = event.cloudTrailEvent, let record = try? CloudTrailRecord(jsonText: text) else { continue }
                // LabCheck's own calls (its listings, its manifest reads) are never evidence of the student's work.
                guard record.eventSource == CloudTrailEventSource.ecr, !(ownUserAgent.map { record.userAgent.hasPrefix($0) } ?? false) else { continue }
                records.append(record)
                if !record.readOnly, newestEventTime.map({ record.eventTime > $0 }) ?? true { newestEventTime = record.eventTime }
            }
            token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
            pages += 1
        } while token != nil && pages < Self.maxPages
        if token != nil { throw HistoryTruncated(attribute: attribute, pages: pages) }
        // LookupEvents answers newest first; the judges read oldest first. Equal times keep the answer's order reversed.
        return records.reversed().enumerated().sorted { ($0.element.eventTime, $0.offset) < ($1.element.eventTime, $1.offset) }.map(\.element)
    }

    private func page(_ request: LookupEventsRequest) async throws -> LookupEventsResponse {
        var attempt = 0
        while true {
            try await pacer.wait()
            requests += 1
            do {
                return try await cloudTrail.lookupEvents(request)
            } catch let error as AWSServiceError where error.isThrottling && attempt < throttleRetries {
                // The client's retry policy already retried; here the quota is given time to recover.
                logger.debug("LookupEvents throttled; retrying", metadata: ["attempt": "\(attempt + 1)"])
                try await Task.sleep(for: backoff(attempt))
                attempt += 1
            }
        }
    }
}

/// A lookup had more events than `HistoryReader.maxPages` pages.
public struct HistoryTruncated: Error, Sendable, CustomStringConvertible {
    public var attribute: LookupAttribute
    public var pages: Int
    public var description: String {
        "LookupEvents \(attribute.attributeKey.rawValue)=\(attribute.attributeValue) has more than \(pages) pages of events; narrow the window with --since"
    }
}
