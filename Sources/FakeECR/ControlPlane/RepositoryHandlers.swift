import ECRWire
import Foundation

/// CreateRepository, DescribeRepositories, DeleteRepository, PutImageTagMutability,
/// PutImageScanningConfiguration.
struct RepositoryHandlers: Sendable {
    let store: RegistryStore

    func createRepository(_ request: CreateRepositoryRequest, _ context: ECRRequestContext) async throws -> CreateRepositoryResponse {
        let key = try await context.registry(request.registryId, naming: request.repositoryName)
        try ECRValidation.repositoryName(request.repositoryName)
        let mutability = request.imageTagMutability ?? .mutable
        try ECRValidation.tagMutability(mutability, filters: request.imageTagMutabilityExclusionFilters)
        let tags = request.tags ?? []
        try ECRValidation.tags(tags)
        let encryption = request.encryptionConfiguration ?? EncryptionConfiguration(encryptionType: .aes256)
        guard encryption.encryptionType.isKnown else {
            throw ECRError.invalidParameter("encryptionConfiguration.encryptionType", "'Member must satisfy enum value set: [\(EncryptionType.knownValuesList)]'")
        }
        if encryption.encryptionType == .aes256, encryption.kmsKey != nil {
            throw ECRError.invalidParameter("encryptionConfiguration", "'KMS key should not be specified for AES256 encryption type'")
        }
        var kmsKey = encryption.kmsKey
        if encryption.encryptionType != .aes256, kmsKey == nil {
            kmsKey = "arn:aws:kms:\(key.region):\(key.accountId):key/aws/ecr"
        }
        let record = RepositoryRecord(
            name: request.repositoryName, createdAt: context.now.wholeMilliseconds, imageTagMutability: mutability,
            imageTagMutabilityExclusionFilters: request.imageTagMutabilityExclusionFilters,
            scanOnPush: request.imageScanningConfiguration?.scanOnPush ?? false,
            encryptionType: encryption.encryptionType, kmsKey: kmsKey, tags: tags)
        let repository = try store.update(key) { state -> Repository in
            guard state.repositories[record.name] == nil else { throw ECRError.repositoryAlreadyExists(record.name, key.accountId) }
            state.insertRepository(record)
            return record.wire(in: key)
        }
        return CreateRepositoryResponse(repository: repository)
    }

    func describeRepositories(_ request: DescribeRepositoriesRequest, _ context: ECRRequestContext) async throws -> DescribeRepositoriesResponse {
        // Named repositories are each the gate's to open; the whole registry's listing is registry-level.
        let key = request.repositoryNames == nil ? try await context.registry(request.registryId) : try context.registryKey(request.registryId)
        try ECRValidation.maxResults(request.maxResults)
        if let names = request.repositoryNames {
            try ECRValidation.listedWithoutPaging(
                "repositoryNames", names.count, ECRConstraints.describeRepositoriesRequest_repositoryNames, maxResults: request.maxResults, nextToken: request.nextToken)
            for name in names { try ECRValidation.repositoryName(name) }
            for name in Set(names) { try await context.authorize(repository: name, in: key) }
        }
        let marker = try Paging.marker(request.nextToken)
        let pageSize = request.maxResults ?? Paging.defaultPageSize
        return try store.read(key) { state in
            if let names = request.repositoryNames {
                var repositories: [Repository] = []
                var seen = Set<String>()
                for name in names where seen.insert(name).inserted {
                    let record = try state.existingRepository(name, in: key)
                    repositories.append(record.wire(in: key))
                }
                return DescribeRepositoriesResponse(repositories: repositories)
            }
            var start = 0
            if let marker {
                start = state.insertionIndex(of: marker)
                if start < state.sortedRepositoryNames.count, state.sortedRepositoryNames[start] == marker { start += 1 }
            }
            let names = state.sortedRepositoryNames
            let end = min(names.count, start + pageSize)
            var repositories: [Repository] = []
            repositories.reserveCapacity(max(0, end - start))
            if start < end {
                for name in names[start..<end] {
                    if let record = state.repositories[name] { repositories.append(record.wire(in: key)) }
                }
            }
            let nextToken = end < names.count ? Paging.token(after: names[end - 1]) : nil
            return DescribeRepositoriesResponse(repositories: repositories, nextToken: nextToken)
        }
    }

    func deleteRepository(_ request: DeleteRepositoryRequest, _ context: ECRRequestContext) async throws -> DeleteRepositoryResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        let repository = try store.update(key) { state -> Repository in
            let record = try state.existingRepository(name, in: key)
            if !record.images.isEmpty, request.force != true { throw ECRError.repositoryNotEmpty(name, key.accountId) }
            state.removeRepository(name)
            return record.wire(in: key)
        }
        return DeleteRepositoryResponse(repository: repository)
    }

    func putImageTagMutability(_ request: PutImageTagMutabilityRequest, _ context: ECRRequestContext) async throws -> PutImageTagMutabilityResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        try ECRValidation.tagMutability(request.imageTagMutability, filters: request.imageTagMutabilityExclusionFilters)
        try store.update(key) { state in
            try state.updateExistingRepository(name, in: key) { record in
                record.imageTagMutability = request.imageTagMutability
                record.imageTagMutabilityExclusionFilters = request.imageTagMutabilityExclusionFilters
            }
        }
        return PutImageTagMutabilityResponse(
            registryId: key.accountId, repositoryName: name, imageTagMutability: request.imageTagMutability,
            imageTagMutabilityExclusionFilters: request.imageTagMutabilityExclusionFilters)
    }

    func putImageScanningConfiguration(_ request: PutImageScanningConfigurationRequest, _ context: ECRRequestContext) async throws -> PutImageScanningConfigurationResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        let scanOnPush = request.imageScanningConfiguration.scanOnPush ?? false
        try store.update(key) { state in
            try state.updateExistingRepository(name, in: key) { $0.scanOnPush = scanOnPush }
        }
        return PutImageScanningConfigurationResponse(
            registryId: key.accountId, repositoryName: name, imageScanningConfiguration: ImageScanningConfiguration(scanOnPush: scanOnPush))
    }
}
