import Crypto
import Foundation

/// `sha256:<64 lowercase hex>` digests of manifests and blobs: the only form the fake computes and
/// stores, checked before any file path is built from one.
enum ContentDigest {
    static let prefix = "sha256:"

    /// Whether `digest` is `sha256:` followed by exactly 64 lowercase hex digits.
    static func isValid(_ digest: String) -> Bool {
        guard digest.hasPrefix(prefix) else { return false }
        let hex = digest.utf8.dropFirst(prefix.utf8.count)
        return hex.count == 64 && hex.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The 64 hex digits of a valid digest, nil otherwise.
    static func hex(_ digest: String) -> String? {
        isValid(digest) ? String(digest.dropFirst(prefix.count)) : nil
    }

    /// The digest of `data`.
    static func of(_ data: Data) -> String {
        string(SHA256.hash(data: data))
    }

    /// The digest of a text's UTF-8 bytes (a manifest as ECR's API carries it).
    static func of(_ text: String) -> String {
        string(SHA256.hash(data: Data(text.utf8)))
    }

    /// `sha256:<hex>` of a computed digest.
    static func string(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = Array(prefix.utf8)
        text.reserveCapacity(prefix.utf8.count + 64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
