import Foundation

/// An upstream image named as `docker pull` names it: `public.ecr.aws/nginx/nginx:1.27` (registry
/// host, repository path, tag). The registry is the first component, so it must look like a host.
public struct ImageReference: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public var registry: String
    public var path: String
    public var tag: String

    public init(registry: String, path: String, tag: String) {
        self.registry = registry
        self.path = path
        self.tag = tag
    }

    /// Parses `HOST/PATH:TAG`; nil when it is not of that form.
    public init?(parsing text: String) {
        guard let slash = text.firstIndex(of: "/"), let colon = text.lastIndex(of: ":"), colon > slash else { return nil }
        let registry = String(text[..<slash]).lowercased()
        let path = String(text[text.index(after: slash)..<colon])
        let tag = String(text[text.index(after: colon)...])
        guard registry.contains("."), registry.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }),
              !path.isEmpty, !path.hasPrefix("/"), !path.hasSuffix("/"), !path.contains("//"),
              path.allSatisfy({ $0.isLowercase || $0.isNumber || "._-/".contains($0) }),
              !tag.isEmpty, tag.count <= 128, tag.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else { return nil }
        self.init(registry: registry, path: path, tag: tag)
    }

    public var description: String { "\(registry)/\(path):\(tag)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let reference = ImageReference(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an image reference like public.ecr.aws/nginx/nginx:1.27")
        }
        self = reference
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: ImageReference, rhs: ImageReference) -> Bool { lhs.description < rhs.description }
}
