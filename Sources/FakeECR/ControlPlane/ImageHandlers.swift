import ECRWire
import Foundation

/// PutImage, ListImages, DescribeImages, BatchGetImage, BatchDeleteImage.
struct ImageHandlers: Sendable {
    let store: RegistryStore
    /// The time scans are seen at (IN_PROGRESS until they complete).
    let clock: FakeClock

    func putImage(_ request: PutImageRequest, _ context: ECRRequestContext) async throws -> PutImageResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        try ECRValidation.length(request.imageManifest.utf8.count, ECRConstraints.imageManifest, field: "imageManifest")
        if let tag = request.imageTag { try ECRValidation.length(tag.count, ECRConstraints.imageTag, field: "imageTag") }
        let digest = ContentDigest.of(request.imageManifest)
        guard let manifest = ImageManifest.parse(Data(request.imageManifest.utf8)) else { throw ECRError.invalidManifest() }
        if let given = request.imageDigest, given != digest {
            throw ECRError(
                .imageDigestDoesNotMatch,
                "The specified image digest '\(given)' does not match the digest '\(digest)' that Amazon ECR calculated for the image manifest")
        }
        guard let mediaType = request.imageManifestMediaType ?? manifest.mediaType else {
            throw ECRError(.invalidParameter, "image manifest mediatype not provided in manifest or parameter")
        }
        if let inManifest = manifest.mediaType, let given = request.imageManifestMediaType, inManifest != given {
            throw ECRError(
                .invalidParameter,
                "Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'manifest media type '\(inManifest)' does not match '\(given)''")
        }
        guard ManifestMediaTypes.isKnown(mediaType) else {
            throw ECRError.invalidParameter("imageManifestMediaType", "'Invalid manifest media type: \(mediaType)'")
        }
        // ECR answers a manifest of the wrong shape (`"layers":"x"`) as it answers one that is no JSON.
        if manifest.shapeProblem(as: mediaType) != nil { throw ECRError.invalidManifest() }
        let tag = request.imageTag
        let push = ImagePush(
            manifest: request.imageManifest, digest: digest, parsed: manifest, mediaType: mediaType, tag: tag, pushedAt: context.now.wholeMilliseconds)
        switch try store.push(push, to: name, in: key) {
        case .pushed: break
        case .alreadyPresent: throw ECRError.imageAlreadyExists(digest: digest, tag: tag, name, key.accountId)
        case .tagImmutable(let tag): throw ECRError.imageTagAlreadyExists(tag: tag, name)
        case .repositoryNotFound: throw ECRError.repositoryNotFound(name, key.accountId)
        case .blobsUnknown(let digests): throw ECRError.layersNotFound(digests, name, key.accountId)
        case .manifestsUnknown(let digests): throw ECRError.referencedImagesNotFound(digests, name, key.accountId)
        }
        return PutImageResponse(image: Image(
            registryId: key.accountId, repositoryName: name,
            imageId: ImageIdentifier(imageDigest: digest, imageTag: tag),
            imageManifest: request.imageManifest, imageManifestMediaType: mediaType))
    }

    func listImages(_ request: ListImagesRequest, _ context: ECRRequestContext) async throws -> ListImagesResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        try ECRValidation.maxResults(request.maxResults)
        let status = try Self.tagStatus(request.filter?.tagStatus)
        let ids = try store.read(key) { state -> [ImageIdentifier] in
            let record = try state.existingRepository(name, in: key)
            var ids: [ImageIdentifier] = []
            for image in record.images {
                if image.tags.isEmpty {
                    if status != .tagged { ids.append(ImageIdentifier(imageDigest: image.digest)) }
                } else if status != .untagged {
                    for tag in image.tags { ids.append(ImageIdentifier(imageDigest: image.digest, imageTag: tag)) }
                }
            }
            return ids
        }
        let page = try Paging.page(ids, token: request.nextToken, maxResults: request.maxResults)
        return ListImagesResponse(imageIds: Array(page.items), nextToken: page.nextToken)
    }

    func describeImages(_ request: DescribeImagesRequest, _ context: ECRRequestContext) async throws -> DescribeImagesResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        try ECRValidation.maxResults(request.maxResults)
        let status = try Self.tagStatus(request.filter?.tagStatus)
        let now = clock.now
        if let ids = request.imageIds {
            try ECRValidation.listedWithoutPaging("imageIds", ids.count, ECRConstraints.imageIds, maxResults: request.maxResults, nextToken: request.nextToken)
        }
        let details = try store.read(key) { state -> [ImageDetail] in
            let record = try state.existingRepository(name, in: key)
            var images: [ImageRecord]
            if let ids = request.imageIds {
                images = []
                for id in ids {
                    guard let index = Self.find(id, in: record) else { throw ECRError.imageNotFound(id, name, key.accountId) }
                    if !images.contains(where: { $0.digest == record.images[index].digest }) { images.append(record.images[index]) }
                }
            } else {
                images = record.images
            }
            return images.filter { image in
                switch status {
                case .tagged: return !image.tags.isEmpty
                case .untagged: return image.tags.isEmpty
                default: return true
                }
            }.map { Self.detail($0, key: key, repository: name, now: now) }
        }
        if request.imageIds != nil { return DescribeImagesResponse(imageDetails: details) }
        let page = try Paging.page(details, token: request.nextToken, maxResults: request.maxResults)
        return DescribeImagesResponse(imageDetails: Array(page.items), nextToken: page.nextToken)
    }

    func batchGetImage(_ request: BatchGetImageRequest, _ context: ECRRequestContext) async throws -> BatchGetImageResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        try ECRValidation.length(request.imageIds.count, ECRConstraints.imageIds, field: "imageIds")
        return try store.read(key) { state in
            let record = try state.existingRepository(name, in: key)
            var images: [Image] = []
            var failures: [ImageFailure] = []
            for id in request.imageIds {
                if let failure = Self.failure(for: id, in: record) {
                    failures.append(failure)
                    continue
                }
                guard let index = Self.find(id, in: record) else { continue }
                let image = record.images[index]
                if let accepted = request.acceptedMediaTypes, !accepted.contains(image.mediaType) {
                    failures.append(ImageFailure(imageId: id, failureCode: .imageNotFound, failureReason: "Requested image with media type \(image.mediaType) is not in acceptedMediaTypes"))
                    continue
                }
                images.append(Image(
                    registryId: key.accountId, repositoryName: name,
                    imageId: ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag),
                    imageManifest: image.manifest, imageManifestMediaType: image.mediaType))
            }
            return BatchGetImageResponse(images: images, failures: failures)
        }
    }

    func batchDeleteImage(_ request: BatchDeleteImageRequest, _ context: ECRRequestContext) async throws -> BatchDeleteImageResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        try ECRValidation.length(request.imageIds.count, ECRConstraints.imageIds, field: "imageIds")
        return try store.update(key) { state in
            _ = try state.existingRepository(name, in: key)
            var deleted: [ImageIdentifier] = []
            var failures: [ImageFailure] = []
            for id in request.imageIds {
                guard let record = state.repositories[name] else { break }
                if let failure = Self.failure(for: id, in: record) {
                    failures.append(failure)
                    continue
                }
                guard let reference = Self.reference(id), let deletion = state.deleteImage(reference, from: name) else { continue }
                let digest = deletion.image.digest
                if deletion.removedTags.isEmpty {
                    deleted.append(ImageIdentifier(imageDigest: digest))
                } else {
                    deleted += deletion.removedTags.map { ImageIdentifier(imageDigest: digest, imageTag: $0) }
                }
            }
            return BatchDeleteImageResponse(imageIds: deleted, failures: failures)
        }
    }

    // MARK: helpers

    static func tagStatus(_ status: TagStatus?) throws -> TagStatus {
        guard let status else { return .any }
        guard status.isKnown else {
            throw ECRError.invalidParameter("filter.tagStatus", "'Member must satisfy enum value set: [\(TagStatus.knownValuesList)]'")
        }
        return status
    }

    /// What an image id names: its digest when it has one (a tag given too must be on that image,
    /// which `failure(for:in:)` checks), its tag otherwise.
    static func reference(_ id: ImageIdentifier) -> ManifestReference? {
        if let digest = id.imageDigest { return .digest(digest) }
        return id.imageTag.map(ManifestReference.tag)
    }

    static func find(_ id: ImageIdentifier, in record: RepositoryRecord) -> Int? {
        guard let reference = reference(id), let index = record.imageIndex(reference) else { return nil }
        if let tag = id.imageTag, !record.images[index].tags.contains(tag) { return nil }
        return index
    }

    /// The failure ECR reports for one image id of a batch, or nil when the image is there.
    static func failure(for id: ImageIdentifier, in record: RepositoryRecord) -> ImageFailure? {
        if id.imageDigest == nil, id.imageTag == nil {
            return ImageFailure(imageId: id, failureCode: .missingDigestAndTag, failureReason: "Invalid request parameters: both tag and digest cannot be null")
        }
        if let digest = id.imageDigest, !ECRValidation.isDigest(digest) {
            return ImageFailure(imageId: id, failureCode: .invalidImageDigest, failureReason: "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'")
        }
        if let digest = id.imageDigest, let tag = id.imageTag, let index = record.imageIndex(digest: digest), !record.images[index].tags.contains(tag),
            record.imageIndex(tag: tag) != nil
        {
            return ImageFailure(imageId: id, failureCode: .imageTagDoesNotMatchDigest, failureReason: "Invalid request parameters: given tag does not map to the given digest")
        }
        if find(id, in: record) == nil {
            return ImageFailure(imageId: id, failureCode: .imageNotFound, failureReason: "Requested image not found")
        }
        return nil
    }

    static func detail(_ image: ImageRecord, key: RegistryKey, repository: String, now: Date) -> ImageDetail {
        ImageDetail(
            registryId: key.accountId, repositoryName: repository, imageDigest: image.digest,
            imageTags: image.tags.isEmpty ? nil : image.tags, imageSizeInBytes: image.sizeInBytes, imagePushedAt: image.pushedAt,
            imageScanStatus: image.scan?.wireStatus(at: now), imageScanFindingsSummary: image.scan?.summary(at: now),
            imageManifestMediaType: image.mediaType, artifactMediaType: image.artifactMediaType,
            subjectManifestDigest: image.subjectManifestDigest, imageStatus: .active)
    }
}
