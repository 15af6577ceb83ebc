import Foundation

/// An image a lifecycle policy expires, and the rule that does.
struct LifecycleExpiration: Sendable, Equatable {
    var image: ImageRecord
    var rulePriority: Int
}

extension LifecyclePolicy {
    /// The images of `record` the policy expires at `now`, as ECR evaluates a policy: rules in
    /// ascending priority, each image considered by the first rule whose tag selection matches it
    /// only (a later rule never sees it, expired or kept); imageCountMoreThan keeps the newest
    /// `countNumber` of its images, sinceImagePushed expires those pushed more than `countNumber`
    /// days before `now`. Images an index of the repository references are never expired on their own.
    func expirations(in record: RepositoryRecord, now: Date) -> [LifecycleExpiration] {
        let children = Set(record.images.flatMap { ImageManifest.parse(Data($0.manifest.utf8))?.childDigests ?? [] })
        var considered = Set<String>()
        var result: [LifecycleExpiration] = []
        for rule in rules {
            let selected = record.images.filter { !considered.contains($0.digest) && !children.contains($0.digest) && rule.selects($0) }
            considered.formUnion(selected.map(\.digest))
            let expiring: [ImageRecord]
            switch rule.countType {
            case .imageCountMoreThan:
                // Newest first; among images pushed the same millisecond, the later push is the newer.
                let newestFirst = selected.enumerated().sorted { ($0.element.pushedAt, $0.offset) > ($1.element.pushedAt, $1.offset) }.map(\.element)
                expiring = Array(newestFirst.dropFirst(rule.countNumber))
            case .sinceImagePushed:
                let cutoff = now.addingTimeInterval(-Double(rule.countNumber) * 86_400)
                expiring = selected.filter { $0.pushedAt < cutoff }
            }
            result += expiring.sorted { $0.pushedAt < $1.pushedAt }.map { LifecycleExpiration(image: $0, rulePriority: rule.priority) }
        }
        return result
    }
}

extension LifecyclePolicy.Rule {
    /// Whether the rule's tag selection takes `image`: with several prefixes or patterns, an image
    /// must have a tag matching each (ECR: "only the images with all specified tags are selected").
    func selects(_ image: ImageRecord) -> Bool {
        switch tagStatus {
        case .untagged: return image.tags.isEmpty
        case .any: return true
        case .tagged:
            guard !image.tags.isEmpty else { return false }
            return tagPrefixes.allSatisfy { prefix in image.tags.contains { $0.hasPrefix(prefix) } }
                && tagPatterns.allSatisfy { pattern in image.tags.contains { Wildcard.matches(pattern: pattern, $0) } }
        }
    }
}
