import DequeModule
import ECRWire
import Foundation

/// `GET /_fake/trail?accountId=&region=`: the records of each matching registry, oldest first, as
/// `{"registries": [{"accountId", "region", "trail": [record, …]}]}` (records as CloudTrailEvent documents).
struct TrailListing: Encodable {
    struct Registry: Encodable {
        var accountId: String
        var region: String
        var trail: [CloudTrailRecord]
    }

    var registries: [Registry]

    static func encoded(_ trails: [(RegistryKey, Deque<CloudTrailRecord>)]) throws -> Data {
        let listing = TrailListing(registries: trails.map { Registry(accountId: $0.0.accountId, region: $0.0.region, trail: Array($0.1)) })
        let encoder = CloudTrailRecord.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return try encoder.encode(listing)
    }
}
