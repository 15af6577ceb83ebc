import Foundation

/// Something the reader of a result must know that is not a step's verdict: the history could not be
/// read (grades rest on live state and the ledger only), or recent work may not show in it yet.
public struct ResultWarning: Codable, Sendable, Hashable {
    public var code: Code
    public var message: LocalizedText

    public init(_ code: Code, message: LocalizedText) {
        self.code = code
        self.message = message
    }

    public enum Code: String, Codable, Sendable, Hashable, CaseIterable {
        /// LookupEvents was refused (no `cloudtrail:LookupEvents` permission).
        case historyDenied
        /// LookupEvents could not be reached or answered with an error other than a refusal.
        case historyUnavailable
        /// Work of the last minutes may not be in the history yet (CloudTrail's delivery lag).
        case historyLag
        /// A waiver of the grading policy has expired: it was ignored.
        case waiverExpired
    }
}
