import ECRWire
import Foundation

/// StartImageScan, DescribeImageScanFindings, Get/PutRegistryScanningConfiguration and
/// BatchGetRepositoryScanningConfiguration: basic scanning (`ImageScanner`) at the fake's clock.
struct ScanningHandlers: Sendable {
    let store: RegistryStore
    let scanner: ImageScanner
    let clock: FakeClock

    /// One basic scan per image per 24 hours, scans on push included (the model's StartImageScan
    /// documentation).
    static let scanInterval: TimeInterval = 24 * 60 * 60

    func startImageScan(_ request: StartImageScanRequest, _ context: ECRRequestContext) async throws -> StartImageScanResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        let id = request.imageId
        let (image, basic) = try store.read(key) { state -> (ImageRecord, Bool) in
            let record = try state.existingRepository(name, in: key)
            return (try Self.image(id, in: record, key: key), state.settings.effectiveScanningConfiguration.scanType != .enhanced)
        }
        if ImageScanner.unsupportedType(image) != nil { throw Self.unsupportedImageType() }
        let now = clock.now
        if basic, let last = image.scan, now < last.startedAt.addingTimeInterval(Self.scanInterval) { throw Self.scanLimitExceeded() }
        let scan = scanner.scan(image, now: now)
        try store.update(key) { state in
            try state.updateExistingRepository(name, in: key) { record in
                guard let index = record.imageIndex(digest: image.digest) else { throw ECRError.imageNotFound(id, name, key.accountId) }
                record.images[index].scan = scan
            }
        }
        return StartImageScanResponse(
            registryId: key.accountId, repositoryName: name, imageId: ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag),
            imageScanStatus: scan.wireStatus(at: now))
    }

    func describeImageScanFindings(
        _ request: DescribeImageScanFindingsRequest, _ context: ECRRequestContext
    ) async throws -> DescribeImageScanFindingsResponse {
        let (key, name) = try await context.repository(request.registryId, request.repositoryName)
        try ECRValidation.maxResults(request.maxResults)
        let id = request.imageId
        let image = try store.read(key) { state in try Self.image(id, in: try state.existingRepository(name, in: key), key: key) }
        guard let scan = image.scan else { throw Self.scanNotFound(id, name, key.accountId) }
        let now = clock.now
        let answeredId = ImageIdentifier(imageDigest: image.digest, imageTag: id.imageTag)
        guard scan.isComplete(at: now), scan.status == .complete else {
            // No findings yet (or none to be had), but `imageScanFindings` all the same: the AWS
            // CLI's paginator of describe-image-scan-findings fails on an answer without it.
            _ = try Paging.marker(request.nextToken)
            return DescribeImageScanFindingsResponse(
                registryId: key.accountId, repositoryName: name, imageId: answeredId, imageScanStatus: scan.wireStatus(at: now),
                imageScanFindings: ImageScanFindings(findings: []))
        }
        let page = try Paging.page(scan.findings, token: request.nextToken, maxResults: request.maxResults)
        return DescribeImageScanFindingsResponse(
            registryId: key.accountId, repositoryName: name, imageId: answeredId, imageScanStatus: scan.wireStatus(at: now),
            imageScanFindings: ImageScanFindings(
                imageScanCompletedAt: scan.completedAt, vulnerabilitySourceUpdatedAt: scan.vulnerabilitySourceUpdatedAt,
                findingSeverityCounts: scan.severityCounts, findings: Array(page.items)),
            nextToken: page.nextToken)
    }

    func getRegistryScanningConfiguration(
        _ request: GetRegistryScanningConfigurationRequest, _ context: ECRRequestContext
    ) async throws -> GetRegistryScanningConfigurationResponse {
        let key = try await context.registry(nil)
        let configuration = try store.read(key) { $0.settings.effectiveScanningConfiguration }
        return GetRegistryScanningConfigurationResponse(registryId: key.accountId, scanningConfiguration: configuration)
    }

    func putRegistryScanningConfiguration(
        _ request: PutRegistryScanningConfigurationRequest, _ context: ECRRequestContext
    ) async throws -> PutRegistryScanningConfigurationResponse {
        let key = try await context.registry(nil)
        let configuration = RegistryScanningConfiguration(scanType: request.scanType ?? .basic, rules: request.rules ?? [])
        try Self.validate(configuration)
        try store.update(key) { state in state.updateSettings { $0.scanningConfiguration = configuration } }
        return PutRegistryScanningConfigurationResponse(registryScanningConfiguration: configuration)
    }

    func batchGetRepositoryScanningConfiguration(
        _ request: BatchGetRepositoryScanningConfigurationRequest, _ context: ECRRequestContext
    ) async throws -> BatchGetRepositoryScanningConfigurationResponse {
        // Authorised per repository (the action's resources are repositories), not on the registry.
        let key = try context.registryKey(nil)
        try ECRValidation.length(request.repositoryNames.count, ECRConstraints.repositoryNames, field: "repositoryNames")
        for name in request.repositoryNames {
            try ECRValidation.repositoryName(name)
            try await context.authorize(repository: name, in: key)
        }
        return try store.read(key) { state in
            let configuration = state.settings.effectiveScanningConfiguration
            var found: [RepositoryScanningConfiguration] = []
            var failures: [RepositoryScanningConfigurationFailure] = []
            for name in request.repositoryNames {
                if let record = state.repositories[name] {
                    found.append(configuration.repositoryConfiguration(record, in: key))
                } else {
                    failures.append(RepositoryScanningConfigurationFailure(
                        repositoryName: name, failureCode: .repositoryNotFound, failureReason: "REPOSITORY_NOT_FOUND"))
                }
            }
            return BatchGetRepositoryScanningConfigurationResponse(scanningConfigurations: found, failures: failures)
        }
    }

    // MARK: rules and errors

    /// The model's bounds and enums, and the frequencies each scan type supports (the model's
    /// RegistryScanningRule documentation: ENHANCED scans continuously or on push, BASIC on push).
    static func validate(_ configuration: RegistryScanningConfiguration) throws {
        let scanType = configuration.scanType ?? .basic
        guard scanType.isKnown else { throw ECRError.invalidParameter("scanType", "'Member must satisfy enum value set: [\(ScanType.knownValuesList)]'") }
        let rules = configuration.rules ?? []
        try ECRValidation.length(rules.count, ECRConstraints.rules, field: "rules")
        for (r, rule) in rules.enumerated() {
            let path = "rules.\(r + 1)"
            guard rule.scanFrequency.isKnown else {
                throw ECRError.invalidParameter(path + ".scanFrequency", "'Member must satisfy enum value set: [\(ScanFrequency.knownValuesList)]'")
            }
            let supported: [ScanFrequency] = scanType == .enhanced ? [.continuousScan, .scanOnPush] : [.scanOnPush]
            guard supported.contains(rule.scanFrequency) else {
                throw ECRError.invalidParameter(
                    path + ".scanFrequency",
                    "'Scan frequency \(rule.scanFrequency.rawValue) is not supported for scan type \(scanType.rawValue): expected one of [\(supported.map(\.rawValue).joined(separator: ", "))]'")
            }
            try ECRValidation.length(rule.repositoryFilters.count, ECRConstraints.repositoryFilters, field: path + ".repositoryFilters")
            for (f, filter) in rule.repositoryFilters.enumerated() {
                let at = "\(path).repositoryFilters.\(f + 1)"
                guard filter.filterType == .wildcard else {
                    throw ECRError.invalidParameter(at + ".filterType", "'Member must satisfy enum value set: [\(ScanningRepositoryFilterType.knownValuesList)]'")
                }
                guard ECRConstraints.scanningRepositoryFilter_filter.accepts(filter.filter) else {
                    throw ECRError.invalidParameter(at + ".filter", "'must satisfy regular expression '\(ECRConstraints.scanningRepositoryFilter_filter.pattern ?? "")''")
                }
            }
        }
    }

    /// The image an image id names, as DescribeImages finds it; ImageNotFoundException otherwise.
    static func image(_ id: ImageIdentifier, in record: RepositoryRecord, key: RegistryKey) throws -> ImageRecord {
        guard let index = ImageHandlers.find(id, in: record) else { throw ECRError.imageNotFound(id, record.name, key.accountId) }
        return record.images[index]
    }

    /// ECR's wording of the scan quota (moto's `ecr/exceptions.py`, which copies ECR's answers:
    /// "The scan quota per image has been exceeded. Wait and try again."). ECR answers a second
    /// StartImageScan while one runs the same way: the running scan counts against the quota.
    static func scanLimitExceeded() -> ECRError {
        ECRError(.limitExceeded, "The scan quota per image has been exceeded. Wait and try again.")
    }

    /// The model's documentation of UnsupportedImageTypeException: "The image is of a type that
    /// cannot be scanned." (an index, an artifact, a Docker schema 1 manifest).
    static func unsupportedImageType() -> ECRError {
        ECRError(.unsupportedImageType, "The image is of a type that cannot be scanned.")
    }

    /// ECR's ScanNotFoundException for an image never scanned (moto's `ecr/exceptions.py` wording,
    /// the image id written as ECR's ImageNotFoundException writes it).
    static func scanNotFound(_ id: ImageIdentifier, _ name: String, _ registryId: String) -> ECRError {
        ECRError(
            .scanNotFound,
            "Image scan does not exist for the image with '{imageDigest:'\(id.imageDigest ?? "null")', imageTag:'\(id.imageTag ?? "null")'}' in the repository with name '\(name)' in the registry with id '\(registryId)'")
    }
}
