import ECRWire
import Foundation

/// What a `/v2/<name>/manifests/<reference>` names.
enum ManifestReference: Sendable, Equatable, CustomStringConvertible {
    case tag(String)
    case digest(String)

    /// A digest when the reference has a `:`, a tag otherwise; TAG_INVALID or DIGEST_INVALID when malformed.
    init(parsing text: String) throws(RegistryError) {
        if text.contains(":") {
            try RegistryDigest.validate(text)
            self = .digest(text)
            return
        }
        guard Self.isTag(text) else {
            let bounds = ECRConstraints.imageTag
            throw RegistryError.tagInvalid(
                "Invalid tag '\(text.prefix(bounds.max ?? 300))': a tag is \(bounds.min ?? 1) to \(bounds.max ?? 300) characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'")
        }
        self = .tag(text)
    }

    static func isTag(_ text: String) -> Bool {
        guard let first = text.utf8.first, ECRConstraints.imageTag.allowsLength(text.utf8.count), first != UInt8(ascii: "."), first != UInt8(ascii: "-")
        else {
            return false
        }
        return text.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }

    var description: String {
        switch self {
        case .tag(let tag): return tag
        case .digest(let digest): return digest
        }
    }
}

/// The registry data plane's operations on the one model the control plane uses too: a pushed
/// manifest is an `ImageRecord`, seen by DescribeImages, ListImages and BatchGetImage.
extension RegistryStore {
    func registryRepositoryExists(_ key: RegistryKey, _ name: String) throws -> Bool {
        try read(key) { $0.repositories[name] != nil }
    }

    /// The image a reference names; NAME_UNKNOWN when the repository is missing, nil when the image is.
    func registryImage(_ key: RegistryKey, _ name: String, _ reference: ManifestReference) throws -> ImageRecord? {
        try read(key) { state in
            guard let record = state.repositories[name] else { throw RegistryError.nameUnknown(name, key.accountId) }
            switch reference {
            case .tag(let tag): return record.imageIndex(tag: tag).map { record.images[$0] }
            case .digest(let digest): return record.imageIndex(digest: digest).map { record.images[$0] }
            }
        }
    }

    /// Stores a pushed manifest as an image and moves `tag` onto it. Pushing the same manifest
    /// and tag again succeeds (as `docker push` does on ECR); moving a tag of an immutable
    /// repository is TAG_INVALID.
    func registryPutManifest(
        _ key: RegistryKey, _ name: String, manifest: String, mediaType: String, summary: ManifestSummary, tag: String?, now: Date
    ) throws {
        let digest = summary.digest
        try update(key) { state in
            guard let record = state.repositories[name] else { throw RegistryError.nameUnknown(name, key.accountId) }
            if let tag, let holder = record.imageIndex(tag: tag), record.images[holder].digest != digest, record.isTagImmutable(tag) {
                throw RegistryError.tagImmutable(tag, name)
            }
            state.updateRepository(name) { record in
                if let tag, let holder = record.imageIndex(tag: tag), record.images[holder].digest != digest {
                    record.images[holder].tags.removeAll { $0 == tag }
                }
                if let index = record.imageIndex(digest: digest) {
                    if let tag, !record.images[index].tags.contains(tag) { record.images[index].tags.append(tag) }
                } else {
                    record.images.append(ImageRecord(
                        digest: digest, tags: tag.map { [$0] } ?? [], manifest: manifest, mediaType: mediaType,
                        artifactMediaType: summary.configMediaType, sizeInBytes: summary.sizeInBytes, pushedAt: now))
                }
            }
        }
    }

    /// Deletes by digest (the image and all its tags) or by tag (the tag; the image too when it
    /// was its last tag, as BatchDeleteImage does). MANIFEST_UNKNOWN when there is no such image.
    func registryDeleteManifest(_ key: RegistryKey, _ name: String, _ reference: ManifestReference) throws {
        try update(key) { state in
            guard let record = state.repositories[name] else { throw RegistryError.nameUnknown(name, key.accountId) }
            switch reference {
            case .digest(let digest):
                guard let index = record.imageIndex(digest: digest) else { throw RegistryError.manifestUnknown() }
                _ = state.updateRepository(name) { $0.images.remove(at: index) }
            case .tag(let tag):
                guard let index = record.imageIndex(tag: tag) else { throw RegistryError.manifestUnknown() }
                state.updateRepository(name) { record in
                    record.images[index].tags.removeAll { $0 == tag }
                    if record.images[index].tags.isEmpty { record.images.remove(at: index) }
                }
            }
        }
    }

    /// Every tag of a repository, sorted; NAME_UNKNOWN when it is missing.
    func registryTags(_ key: RegistryKey, _ name: String) throws -> [String] {
        try read(key) { state in
            guard let record = state.repositories[name] else { throw RegistryError.nameUnknown(name, key.accountId) }
            return record.images.flatMap(\.tags).sorted()
        }
    }

    /// The pull through cache rule whose prefix starts `name`, with the rest of the name (the upstream path).
    func registryCacheRule(_ key: RegistryKey, for name: String) throws -> (rule: PullThroughCacheRuleRecord, upstreamPath: String)? {
        try read(key) { state in
            var best: (rule: PullThroughCacheRuleRecord, upstreamPath: String)?
            for rule in state.pullThroughCacheRules.values where rule.ecrRepositoryPrefix != "ROOT" {
                let prefix = rule.ecrRepositoryPrefix.hasSuffix("/") ? String(rule.ecrRepositoryPrefix.dropLast()) : rule.ecrRepositoryPrefix
                guard name.hasPrefix(prefix + "/") else { continue }
                let rest = String(name.dropFirst(prefix.count + 1))
                if best == nil || prefix.count > (best?.rule.ecrRepositoryPrefix.count ?? 0) { best = (rule, rest) }
            }
            return best
        }
    }

    /// Creates the repository with ECR's defaults when it is missing (a pull through cache's first pull).
    func registryEnsureRepository(_ key: RegistryKey, _ name: String, now: Date) throws {
        try update(key) { state in
            guard state.repositories[name] == nil else { return }
            state.insertRepository(RepositoryRecord(name: name, createdAt: now))
        }
    }
}
