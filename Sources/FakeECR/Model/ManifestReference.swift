/// What names an image of a repository: a tag, or the digest of its manifest
/// (`/v2/<name>/manifests/<reference>`, or an `imageId` of the ECR API).
enum ManifestReference: Sendable, Equatable, CustomStringConvertible {
    case tag(String)
    case digest(String)

    var description: String {
        switch self {
        case .tag(let tag): return tag
        case .digest(let digest): return digest
        }
    }
}
