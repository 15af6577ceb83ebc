import ECRWire
import Foundation

/// The registry data plane's reads and changes of the one model the control plane uses too: a
/// pushed manifest is an `ImageRecord`, seen by DescribeImages, ListImages and BatchGetImage. The
/// rules of a push and a delete are the model's (`RegistryState.push`, `.deleteImage`); these map
/// their outcomes to the distribution API's errors.
extension RegistryStore {
    func repositoryExists(_ key: RegistryKey, _ name: String) throws -> Bool {
        try read(key) { $0.repositories[name] != nil }
    }

    /// The image a reference names; NAME_UNKNOWN when the repository is missing, nil when the image is.
    func image(_ key: RegistryKey, _ name: String, _ reference: ManifestReference) throws -> ImageRecord? {
        try read(key) { state in
            guard let record = state.repositories[name] else { throw DistributionError.nameUnknown(name, key.accountId) }
            return record.image(reference)
        }
    }

    /// Stores a pushed manifest. Pushing an image that is already there succeeds (as `docker push`
    /// does on ECR, where PutImage would answer ImageAlreadyExistsException); moving a tag that the
    /// repository's mutability forbids moving is TAG_INVALID.
    func putManifest(_ key: RegistryKey, _ name: String, _ push: ImagePush) throws {
        switch try self.push(push, to: name, in: key) {
        case .pushed, .alreadyPresent: return
        case .tagImmutable(let tag): throw DistributionError.tagImmutable(tag, name)
        case .repositoryNotFound: throw DistributionError.nameUnknown(name, key.accountId)
        case .blobsUnknown(let digests), .manifestsUnknown(let digests):
            throw DistributionError.manifestBlobUnknown(digests.first ?? "", name)
        }
    }

    /// Whether the blob `digest` is visible in the repository `name`; NAME_UNKNOWN when it is missing.
    func isBlobVisible(_ key: RegistryKey, _ name: String, _ digest: String) throws -> Bool {
        try read(key) { state in
            guard let record = state.repositories[name] else { throw DistributionError.nameUnknown(name, key.accountId) }
            return record.blobs.contains(digest)
        }
    }

    /// Makes blobs visible in the repository `name` (uploaded, mounted or cached there); NAME_UNKNOWN when it is missing.
    func addBlobs(_ key: RegistryKey, _ name: String, _ digests: [String]) throws {
        try update(key) { state in
            guard state.addBlobs(digests, to: name) else { throw DistributionError.nameUnknown(name, key.accountId) }
        }
    }

    /// Deletes by digest or by tag, as BatchDeleteImage does. MANIFEST_UNKNOWN when there is no such image.
    func deleteManifest(_ key: RegistryKey, _ name: String, _ reference: ManifestReference) throws {
        try update(key) { state in
            guard state.repositories[name] != nil else { throw DistributionError.nameUnknown(name, key.accountId) }
            guard state.deleteImage(reference, from: name) != nil else { throw DistributionError.manifestUnknown() }
        }
    }

    /// Every tag of a repository, sorted; NAME_UNKNOWN when it is missing.
    func allTags(_ key: RegistryKey, _ name: String) throws -> [String] {
        try read(key) { state in
            guard let record = state.repositories[name] else { throw DistributionError.nameUnknown(name, key.accountId) }
            return record.images.flatMap(\.tags).sorted()
        }
    }

    /// The pull through cache rule whose prefix starts `name`, with the rest of the name (the upstream path).
    func cacheRule(_ key: RegistryKey, for name: String) throws -> (rule: PullThroughCacheRuleRecord, upstreamPath: String)? {
        try read(key) { $0.cacheRule(for: name) }
    }

    /// Whether the blob `digest` of the repository `from` may be mounted into `name`, as ECR decides
    /// a mount the client asks for: the registry's BLOB_MOUNTING is ENABLED, the blob is visible in
    /// `from`, neither repository is a pull through cache's, and both use the same encryption.
    func isMountable(_ key: RegistryKey, _ digest: String, from: String, into name: String) throws -> Bool {
        try read(key) { state in
            guard state.settings.blobMountingEnabled, let source = state.repositories[from], let target = state.repositories[name],
                source.blobs.contains(digest), state.cacheRule(for: from) == nil, state.cacheRule(for: name) == nil
            else { return false }
            return source.encryptionType == target.encryptionType && source.kmsKey == target.kmsKey
        }
    }

    /// Creates the repository with ECR's defaults when it is missing (a pull through cache's first pull).
    /// True when it created it.
    @discardableResult
    func ensureRepository(_ key: RegistryKey, _ name: String, now: Date) throws -> Bool {
        try update(key) { state in
            guard state.repositories[name] == nil else { return false }
            state.insertRepository(RepositoryRecord(name: name, createdAt: now))
            return true
        }
    }
}

extension RegistryState {
    /// The pull through cache rule whose prefix starts `name` (the longest), with the rest of the
    /// name (the upstream path); nil when `name` is no pull through cache repository.
    func cacheRule(for name: String) -> (rule: PullThroughCacheRuleRecord, upstreamPath: String)? {
        var best: (rule: PullThroughCacheRuleRecord, upstreamPath: String)?
        for rule in pullThroughCacheRules.values where rule.ecrRepositoryPrefix != "ROOT" {
            let prefix = rule.ecrRepositoryPrefix.hasSuffix("/") ? String(rule.ecrRepositoryPrefix.dropLast()) : rule.ecrRepositoryPrefix
            guard name.hasPrefix(prefix + "/") else { continue }
            let rest = String(name.dropFirst(prefix.count + 1))
            if best == nil || prefix.count > (best?.rule.ecrRepositoryPrefix.count ?? 0) { best = (rule, rest) }
        }
        return best
    }
}
