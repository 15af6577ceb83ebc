import Crypto
import DequeModule
import ECRWire
import Foundation

/// Trail records of a state document (`registries[].trail[]`), which fixtures write by hand. A record
/// needs `eventTime`, `eventName` and `userIdentity.type`; what it leaves out is filled in, the same
/// way every time the document is read:
///
/// - `eventID` and `requestID`: UUIDs made from the record's own text and its position;
/// - `userAgent` `labcheck-fixture`, `sourceIPAddress` `192.0.2.1` (a documentation address);
/// - `eventSource` `ecr.amazonaws.com`, `eventVersion`, `eventType` `AwsApiCall`, `managementEvent`
///   true, `eventCategory` `Management`, `readOnly` by the event name (Describe*, List*, Get*, …);
/// - `recipientAccountId` and `awsRegion`: the registry's.
enum TrailFixture {
    static let recordKeys = [
        "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "errorCode",
        "errorMessage", "requestParameters", "responseElements", "requestID", "eventID", "readOnly", "resources", "eventType",
        "managementEvent", "recipientAccountId", "eventCategory", "tlsDetails", "serviceEventDetails",
    ]

    static let fixtureUserAgent = "labcheck-fixture"
    static let fixtureSourceIP = "192.0.2.1"

    /// One record of the document, with the members it leaves out filled in. Errors carry the JSON path.
    static func record(_ value: JSONValue, index: Int, codingPath: [any CodingKey]) throws -> CloudTrailRecord {
        let path = codingPath + [StrictKeys.AnyKey(intValue: index) ?? StrictKeys.AnyKey(stringValue: "\(index)")]
        guard case .object(var members) = value else {
            throw DecodingError.typeMismatch([String: JSONValue].self, .init(codingPath: path, debugDescription: "expected a CloudTrail record object"))
        }
        let digest = Array(SHA256.hash(data: Data("\(index)\n".utf8) + ((try? sortedEncoder.encode(value)) ?? Data())))
        func fill(_ key: String, _ fallback: @autoclosure () -> JSONValue) {
            if members[key] == nil || members[key] == .null { members[key] = fallback() }
        }
        fill("eventID", .string(uuid(digest, from: 0)))
        fill("requestID", .string(uuid(digest, from: 16)))
        fill("userAgent", .string(fixtureUserAgent))
        fill("sourceIPAddress", .string(fixtureSourceIP))
        fill("eventSource", .string(CloudTrailEventSource.ecr))
        fill("eventVersion", .string(CloudTrailRecord.currentEventVersion))
        fill("eventType", .string("AwsApiCall"))
        fill("managementEvent", .bool(true))
        fill("eventCategory", .string("Management"))
        fill("readOnly", .bool(TrailIdentity.isReadOnly(members["eventName"]?.stringValue ?? "")))
        // Placed in the registry afterwards (`placed(_:in:)`): an empty value means "the registry's".
        fill("recipientAccountId", .string(""))
        fill("awsRegion", .string(""))
        do {
            return try CloudTrailRecord.decoder().decode(CloudTrailRecord.self, from: sortedEncoder.encode(JSONValue.object(members)))
        } catch let error as DecodingError {
            throw prefixed(error, with: path)
        }
    }

    /// The records of a registry, with its account and region where they left them out, in time
    /// order, their times to the second (CloudTrail's precision, so that an export reads back the same).
    static func placed(_ records: [CloudTrailRecord], in key: RegistryKey) -> Deque<CloudTrailRecord> {
        let placed = records.map { record in
            var record = record
            record.eventTime = Date(timeIntervalSince1970: record.eventTime.timeIntervalSince1970.rounded(.down))
            if record.recipientAccountId.isEmpty { record.recipientAccountId = key.accountId }
            if record.awsRegion.isEmpty { record.awsRegion = key.region }
            return record
        }
        var state = RegistryState(key: key)
        state.setTrail(placed, retention: TrailRetention(maxAge: .infinity, maxRecords: .max), now: Date())
        return state.trail
    }

    private static let sortedEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A version-4-shaped UUID of 16 bytes of `digest` from `start`.
    private static func uuid(_ digest: [UInt8], from start: Int) -> String {
        var bytes = Array(digest[start..<start + 16])
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    /// `error` as if it had been found at `path` + its own path.
    private static func prefixed(_ error: DecodingError, with path: [any CodingKey]) -> DecodingError {
        func context(_ context: DecodingError.Context) -> DecodingError.Context {
            DecodingError.Context(codingPath: path + context.codingPath, debugDescription: context.debugDescription, underlyingError: context.underlyingError)
        }
        switch error {
        case .keyNotFound(let key, let inner): return .keyNotFound(key, context(inner))
        case .valueNotFound(let type, let inner): return .valueNotFound(type, context(inner))
        case .typeMismatch(let type, let inner): return .typeMismatch(type, context(inner))
        case .dataCorrupted(let inner): return .dataCorrupted(context(inner))
        @unknown default: return error
        }
    }
}
