import Foundation

/// A manifest pushed to a repository, by PutImage or by a `/v2/` manifest PUT (and the pull through
/// cache): what `RegistryState.push(_:to:)` stores.
struct ImagePush: Sendable, Equatable {
    /// The manifest, byte-exact.
    var manifest: String
    var digest: String
    var mediaType: String
    /// The config's media type (ECR's `artifactMediaType`).
    var artifactMediaType: String?
    var sizeInBytes: Int64
    /// The tag the push names; nil for a push by digest (an untagged image).
    var tag: String?
    var pushedAt: Date
    /// Configs and layers the manifest references, which must be visible in the repository.
    var blobDigests: [String]
    /// Manifests an index references, which must be images of the repository.
    var childDigests: [String]
    /// The digest the manifest's `subject` names (OCI referrers).
    var subjectDigest: String?

    /// A push of `manifest` (its text, `digest` and parsed content) as `mediaType`.
    init(manifest: String, digest: String, parsed: ImageManifest, mediaType: String, tag: String?, pushedAt: Date) {
        self.manifest = manifest
        self.digest = digest
        self.mediaType = mediaType
        artifactMediaType = parsed.configMediaType
        sizeInBytes = parsed.sizeInBytes(manifestByteCount: manifest.utf8.count)
        self.tag = tag
        self.pushedAt = pushedAt
        blobDigests = parsed.blobDigests
        childDigests = parsed.childDigests
        subjectDigest = parsed.subjectDigest
    }
}

/// What a push did. The two planes answer the same outcome differently: PutImage refuses
/// `.alreadyPresent` (ImageAlreadyExistsException) where a `/v2/` PUT succeeds (a `docker push` of
/// an image already there), and `.tagImmutable` is ImageTagAlreadyExistsException or TAG_INVALID.
enum ImagePushOutcome: Sendable, Equatable {
    /// Stored: a new image, or the tag added to the image of that digest (moved from the image
    /// that held it before, which stays, untagged if that was its last tag).
    case pushed
    /// The image is there already under that tag (or, for an untagged push, at all): nothing changed.
    case alreadyPresent
    /// Another image holds the tag and the repository's tag mutability forbids moving it: nothing changed.
    case tagImmutable(String)
    /// These configs or layers are not visible in the repository (`RepositoryRecord.blobs`): nothing changed.
    case blobsUnknown([String])
    /// The index references manifests that are no images of the repository: nothing changed.
    case manifestsUnknown([String])
    /// No repository of that name: nothing changed.
    case repositoryNotFound
}

/// What deleting an image reference removed.
struct ImageDeletion: Sendable, Equatable {
    /// The image as it was before the deletion.
    var image: ImageRecord
    /// The tags removed: the one named, or every tag of an image deleted by digest.
    var removedTags: [String]
}

extension RepositoryRecord {
    /// Index of the image `reference` names.
    func imageIndex(_ reference: ManifestReference) -> Int? {
        switch reference {
        case .tag(let tag): return imageIndex(tag: tag)
        case .digest(let digest): return imageIndex(digest: digest)
        }
    }

    /// The image `reference` names.
    func image(_ reference: ManifestReference) -> ImageRecord? {
        imageIndex(reference).map { images[$0] }
    }

    /// What pushing `push` here would do (the rules of a push; `store(_:)` is its effect).
    func outcome(of push: ImagePush) -> ImagePushOutcome {
        let unknownBlobs = push.blobDigests.filter { !blobs.contains($0) }
        if !unknownBlobs.isEmpty { return .blobsUnknown(unknownBlobs) }
        let unknownManifests = push.childDigests.filter { imageIndex(digest: $0) == nil }
        if !unknownManifests.isEmpty { return .manifestsUnknown(unknownManifests) }
        if let existing = imageIndex(digest: push.digest) {
            guard let tag = push.tag, !images[existing].tags.contains(tag) else { return .alreadyPresent }
        }
        if let tag = push.tag, let holder = imageIndex(tag: tag), images[holder].digest != push.digest, isTagImmutable(tag) {
            return .tagImmutable(tag)
        }
        return .pushed
    }

    /// Stores a push whose outcome is `.pushed`: the tag leaves the image that held it and goes to
    /// the image of the pushed digest, a new image when there is none.
    mutating func store(_ push: ImagePush) {
        if let tag = push.tag, let holder = imageIndex(tag: tag), images[holder].digest != push.digest {
            images[holder].tags.removeAll { $0 == tag }
        }
        if let index = imageIndex(digest: push.digest) {
            if let tag = push.tag, !images[index].tags.contains(tag) { images[index].tags.append(tag) }
        } else {
            // An index's size is its largest image's (the children are images here: `outcome(of:)`).
            let childSizes = push.childDigests.compactMap { digest in imageIndex(digest: digest).map { images[$0].sizeInBytes } }
            images.append(ImageRecord(
                digest: push.digest, tags: push.tag.map { [$0] } ?? [], manifest: push.manifest, mediaType: push.mediaType,
                artifactMediaType: push.artifactMediaType, sizeInBytes: childSizes.max() ?? push.sizeInBytes, pushedAt: push.pushedAt, scan: nil,
                subjectManifestDigest: push.subjectDigest))
        }
    }

    /// Deletes by digest (the image and all its tags) or by tag (the tag; the image too when it
    /// was its last tag). Nil, and nothing changed, when `reference` names no image.
    mutating func deleteImage(_ reference: ManifestReference) -> ImageDeletion? {
        guard let index = imageIndex(reference) else { return nil }
        let image = images[index]
        switch reference {
        case .digest:
            images.remove(at: index)
            return ImageDeletion(image: image, removedTags: image.tags)
        case .tag(let tag):
            images[index].tags.removeAll { $0 == tag }
            if images[index].tags.isEmpty { images.remove(at: index) }
            return ImageDeletion(image: image, removedTags: [tag])
        }
    }
}

extension RegistryState {
    /// Pushes an image to the repository `name`; the repository changes only when the outcome is `.pushed`.
    mutating func push(_ push: ImagePush, to name: String) -> ImagePushOutcome {
        guard let record = repositories[name] else { return .repositoryNotFound }
        let outcome = record.outcome(of: push)
        if outcome == .pushed { updateRepository(name) { $0.store(push) } }
        return outcome
    }

    /// Scans the image `digest` of the repository `name` when the repository scans on push (its
    /// own `scanOnPush` or a rule of the registry scanning configuration) and the image was never
    /// scanned; images basic scanning cannot read (indexes, artifacts) are not scanned.
    mutating func scanOnPush(_ digest: String, in name: String, _ scanner: (ImageRecord) -> ImageScanRecord) {
        guard let record = repositories[name], settings.effectiveScanningConfiguration.scansOnPush(record),
            let index = record.imageIndex(digest: digest), record.images[index].scan == nil, ImageScanner.unsupportedType(record.images[index]) == nil
        else { return }
        let scan = scanner(record.images[index])
        updateRepository(name) { $0.images[index].scan = scan }
    }

    /// Makes blobs visible in the repository `name` (uploaded, mounted or cached there); false when
    /// there is no such repository.
    @discardableResult
    mutating func addBlobs(_ digests: some Collection<String>, to name: String) -> Bool {
        guard let record = repositories[name] else { return false }
        guard !digests.allSatisfy(record.blobs.contains) else { return true }
        updateRepository(name) { $0.blobs.formUnion(digests) }
        return true
    }

    /// Deletes the image `reference` names from the repository `name`; nil when there is no such
    /// repository or image (and nothing changed).
    mutating func deleteImage(_ reference: ManifestReference, from name: String) -> ImageDeletion? {
        guard repositories[name]?.imageIndex(reference) != nil else { return nil }
        return updateRepository(name) { $0.deleteImage(reference) } ?? nil
    }
}
