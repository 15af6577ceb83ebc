import Foundation

/// Whether an image step's pass rests on content (the pushed image is the upstream image) or on the
/// tag alone, and why: every report shows it, so a pass by tag never looks verified.
public struct ContentVerification: Codable, Sendable, Hashable {
    /// The upstream image the step compares with (`public.ecr.aws/nginx/nginx:1.27`).
    public var upstream: String
    /// True when a digest matched the pins; false when the step was graded by tag only.
    public var verified: Bool
    /// How it matched ("manifest digest = the upstream's linux/amd64 manifest"), or why it was not verified.
    public var detail: LocalizedText

    public init(upstream: String, verified: Bool, detail: LocalizedText) {
        self.upstream = upstream
        self.verified = verified
        self.detail = detail
    }

    /// Evidence keys under which a content verdict is kept in the ledger, so an earlier pass says it too.
    enum Key {
        static let upstream = "contentUpstream"
        static let verified = "contentVerified"
        static let detailKo = "contentDetailKo"
        static let detailEn = "contentDetailEn"
    }

    /// The verdict as evidence values.
    var observed: [String: String] {
        [Key.upstream: upstream, Key.verified: verified ? "true" : "false", Key.detailKo: detail.ko, Key.detailEn: detail.en]
    }

    /// The verdict kept in evidence, if the step had one.
    init?(observed: [String: String]) {
        guard let upstream = observed[Key.upstream], let verified = observed[Key.verified] else { return nil }
        self.init(upstream: upstream, verified: verified == "true",
                  detail: LocalizedText(ko: observed[Key.detailKo] ?? "", en: observed[Key.detailEn] ?? ""))
    }
}
