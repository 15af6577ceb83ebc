import ECRWire
import Foundation

extension StateDocument {
    /// Allowed keys per object, by JSON path with array indices left out.
    static let allowedKeys: [String: [String]] = [
        "$": ["schemaVersion", "registries"],
        "$.registries[]": [
            "accountId", "region", "repositories", "pullThroughCacheRules", "accountSettings", "registryPolicyText", "replicationConfiguration",
            "registryScanningConfiguration", "trail",
        ],
        "$.registries[].registryScanningConfiguration": ["scanType", "rules"],
        "$.registries[].registryScanningConfiguration.rules[]": ["scanFrequency", "repositoryFilters"],
        "$.registries[].registryScanningConfiguration.rules[].repositoryFilters[]": ["filter", "filterType"],
        "$.registries[].replicationConfiguration": ["rules"],
        "$.registries[].replicationConfiguration.rules[]": ["destinations", "repositoryFilters"],
        "$.registries[].replicationConfiguration.rules[].destinations[]": ["region", "registryId"],
        "$.registries[].replicationConfiguration.rules[].repositoryFilters[]": ["filter", "filterType"],
        "$.registries[].trail[]": TrailFixture.recordKeys,
        "$.registries[].trail[].userIdentity": ["type", "principalId", "arn", "accountId", "accessKeyId", "userName", "sessionContext", "invokedBy"],
        "$.registries[].trail[].userIdentity.sessionContext": ["sessionIssuer", "attributes"],
        "$.registries[].trail[].userIdentity.sessionContext.sessionIssuer": ["type", "principalId", "arn", "accountId", "userName"],
        "$.registries[].trail[].userIdentity.sessionContext.attributes": ["creationDate", "mfaAuthenticated"],
        "$.registries[].trail[].resources[]": ["accountId", "type", "ARN"],
        "$.registries[].trail[].tlsDetails": ["tlsVersion", "cipherSuite", "clientProvidedHostHeader"],
        "$.registries[].repositories[]": [
            "repositoryName", "createdAt", "imageTagMutability", "imageTagMutabilityExclusionFilters", "imageScanningConfiguration",
            "encryptionConfiguration", "tags", "lifecyclePolicyText", "repositoryPolicyText", "images",
        ],
        "$.registries[].repositories[].imageTagMutabilityExclusionFilters[]": ["filterType", "filter"],
        "$.registries[].repositories[].imageScanningConfiguration": ["scanOnPush"],
        "$.registries[].repositories[].encryptionConfiguration": ["encryptionType", "kmsKey"],
        "$.registries[].repositories[].tags[]": ["Key", "Value"],
        "$.registries[].repositories[].images[]": [
            "imageDigest", "imageTags", "imageManifestMediaType", "artifactMediaType", "imageSizeInBytes", "imagePushedAt", "imageManifest",
            "imageScanFindings",
        ],
        "$.registries[].repositories[].images[].imageScanFindings": ["imageScanCompletedAt", "vulnerabilitySourceUpdatedAt", "findings"],
        "$.registries[].repositories[].images[].imageScanFindings.findings[]": ["name", "description", "uri", "severity", "attributes"],
        "$.registries[].repositories[].images[].imageScanFindings.findings[].attributes[]": ["key", "value"],
        "$.registries[].pullThroughCacheRules[]": [
            "ecrRepositoryPrefix", "upstreamRegistryUrl", "upstreamRegistry", "credentialArn", "customRoleArn", "upstreamRepositoryPrefix",
            "createdAt", "updatedAt",
        ],
    ]

    /// Refuses unknown keys anywhere in the document.
    static func checkKeys(_ data: Data, file: String) throws {
        guard let root = try? JSONSerialization.jsonObject(with: data) else { return }  // the decoder reports bad JSON
        func walk(_ value: Any, path: String, pattern: String) throws {
            if let object = value as? [String: Any] {
                if let allowed = allowedKeys[pattern] {
                    for key in object.keys.sorted() where !allowed.contains(key) {
                        throw InputFileError(
                            file: file, path: path + "." + key,
                            problem: "unknown key '\(key)'; expected one of: \(allowed.joined(separator: ", "))")
                    }
                }
                for (key, child) in object { try walk(child, path: path + "." + key, pattern: pattern + "." + key) }
            } else if let array = value as? [Any] {
                for (index, child) in array.enumerated() { try walk(child, path: path + "[\(index)]", pattern: pattern + "[]") }
            }
        }
        try walk(root, path: "$", pattern: "$")
    }

    /// Parses and fully checks a document, then builds the registries it describes.
    public static func states(from data: Data, file: String, defaults: RegistryKey, now: Date = Date()) throws -> [RegistryState] {
        try checkKeys(data, file: file)
        let document = try parse(data, file: file)
        return try document.states(file: file, defaults: defaults, now: now)
    }

    /// The registries this document describes; errors name `file` and the JSON path.
    public func states(file: String, defaults: RegistryKey, now: Date = Date()) throws -> [RegistryState] {
        func fail(_ path: String, _ problem: String) -> InputFileError { InputFileError(file: file, path: path, problem: problem) }
        guard schemaVersion == Self.currentSchemaVersion else {
            throw fail("$.schemaVersion", "expected \(Self.currentSchemaVersion), found \(schemaVersion)")
        }
        let created = now.wholeMilliseconds
        var result: [RegistryKey: RegistryState] = [:]
        for (r, registry) in registries.enumerated() {
            let base = "$.registries[\(r)]"
            let accountId = registry.accountId ?? defaults.accountId
            guard accountId.count == 12, accountId.allSatisfy(\.isNumber) else {
                throw fail(base + ".accountId", "expected a 12-digit account id, found '\(accountId)'")
            }
            let region = registry.region ?? defaults.region
            guard ECRConstraints.region.accepts(region) else {
                throw fail(base + ".region", "expected a region like ap-northeast-1, found '\(region)'")
            }
            let key = RegistryKey(accountId: accountId, region: region)
            if result[key] != nil { throw fail(base, "registry \(accountId) in \(region) appears more than once") }
            var state = RegistryState(key: key)
            for (i, repository) in (registry.repositories ?? []).enumerated() {
                let path = "\(base).repositories[\(i)]"
                state.insertRepository(try repository.record(path: path, fail: fail, now: created, existing: state))
            }
            for (i, rule) in (registry.pullThroughCacheRules ?? []).enumerated() {
                let path = "\(base).pullThroughCacheRules[\(i)]"
                guard ECRValidation.isRepositoryPrefix(rule.ecrRepositoryPrefix) else {
                    throw fail(path + ".ecrRepositoryPrefix", "expected 2-30 characters of lowercase letters, digits, '.', '_', '-' and '/' (or ROOT), found '\(rule.ecrRepositoryPrefix)'")
                }
                if let clash = state.pullThroughCacheRules.keys.first(where: { UpstreamRegistryResolver.prefixesOverlap($0, rule.ecrRepositoryPrefix) }) {
                    throw fail(path + ".ecrRepositoryPrefix", "prefix '\(rule.ecrRepositoryPrefix)' overlaps the prefix '\(clash)' of another rule")
                }
                let derived = UpstreamRegistryResolver.registry(for: rule.upstreamRegistryUrl)
                let upstream: UpstreamRegistry
                if let given = rule.upstreamRegistry {
                    let value = UpstreamRegistry(rawValue: given)
                    guard value.isKnown else { throw fail(path + ".upstreamRegistry", "expected one of \(UpstreamRegistry.knownValuesList), found '\(given)'") }
                    upstream = value
                } else if let derived {
                    upstream = derived
                } else {
                    throw fail(path + ".upstreamRegistryUrl", "unsupported upstream registry '\(rule.upstreamRegistryUrl)'; expected public.ecr.aws, registry.k8s.io, quay.io, registry-1.docker.io, ghcr.io, registry.gitlab.com, cgr.dev, *.azurecr.io or <account>.dkr.ecr.<region>.amazonaws.com (or give upstreamRegistry)")
                }
                state.setRule(PullThroughCacheRuleRecord(
                    ecrRepositoryPrefix: rule.ecrRepositoryPrefix, upstreamRegistryUrl: rule.upstreamRegistryUrl, upstreamRegistry: upstream,
                    credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn, upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix,
                    createdAt: rule.createdAt ?? created, updatedAt: rule.updatedAt))
            }
            for (name, value) in (registry.accountSettings ?? [:]).sorted(by: { $0.key < $1.key }) {
                let path = "\(base).accountSettings.\(name)"
                guard let setting = AccountSetting(rawValue: name) else {
                    throw fail(path, "unknown account setting '\(name)'; expected one of: \(AccountSetting.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard setting.allowedValues.contains(value) else {
                    throw fail(path, "expected one of \(setting.allowedValues.joined(separator: ", ")), found '\(value)'")
                }
                state.updateSettings { $0.accountSettings[name] = value }
            }
            if let text = registry.registryPolicyText {
                guard PolicyTextValidation.actions(of: text) != nil else {
                    throw fail(base + ".registryPolicyText", "expected a policy whose statements each have an Effect, a Principal and an Action")
                }
                state.updateSettings { $0.registryPolicyText = text }
            }
            if let configuration = registry.replicationConfiguration {
                do {
                    try RegistrySettingHandlers.validate(configuration, source: key)
                } catch let error as ECRError {
                    throw fail(base + ".replicationConfiguration", error.message)
                }
                state.updateSettings { $0.replicationConfiguration = configuration }
            }
            if let configuration = registry.registryScanningConfiguration {
                do {
                    try ScanningHandlers.validate(configuration)
                } catch let error as ECRError {
                    throw fail(base + ".registryScanningConfiguration", error.message)
                }
                state.updateSettings { $0.scanningConfiguration = configuration }
            }
            var eventIDs = Set<String>()
            for (i, record) in (registry.trail ?? []).enumerated() where !eventIDs.insert(record.eventID).inserted {
                throw fail("\(base).trail[\(i)].eventID", "event id '\(record.eventID)' appears more than once in this registry's trail")
            }
            state.trail = TrailFixture.placed(registry.trail ?? [], in: key)
            state.journal = RegistryJournal()
            result[key] = state
        }
        return Array(result.values)
    }

    /// The document describing `states` (the export of `GET /_fake/state`).
    public init(states: [RegistryState]) {
        let sorted = states.filter { !$0.isEmpty }.sorted { ($0.key.accountId, $0.key.region) < ($1.key.accountId, $1.key.region) }
        self.init(registries: sorted.map { state in
            Registry(
                accountId: state.key.accountId, region: state.key.region,
                repositories: state.sortedRepositoryNames.compactMap { state.repositories[$0] }.map(Repository.init(record:)),
                pullThroughCacheRules: state.sortedRules.map { rule in
                    PullThroughCacheRule(
                        ecrRepositoryPrefix: rule.ecrRepositoryPrefix, upstreamRegistryUrl: rule.upstreamRegistryUrl,
                        upstreamRegistry: rule.upstreamRegistry.rawValue, credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn,
                        upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix, createdAt: rule.createdAt, updatedAt: rule.updatedAt)
                },
                accountSettings: state.settings.accountSettings.isEmpty ? nil : state.settings.accountSettings,
                registryPolicyText: state.settings.registryPolicyText, replicationConfiguration: state.settings.replicationConfiguration,
                registryScanningConfiguration: state.settings.scanningConfiguration, trail: state.trail.isEmpty ? nil : Array(state.trail))
        })
    }
}

extension StateDocument.Repository {
    init(record: RepositoryRecord) {
        self.init(
            repositoryName: record.name, createdAt: record.createdAt, imageTagMutability: record.imageTagMutability.rawValue,
            imageTagMutabilityExclusionFilters: record.imageTagMutabilityExclusionFilters?.map {
                StateDocument.ExclusionFilter(filterType: $0.filterType.rawValue, filter: $0.filter)
            },
            imageScanningConfiguration: StateDocument.ScanningConfiguration(scanOnPush: record.scanOnPush),
            encryptionConfiguration: StateDocument.Encryption(encryptionType: record.encryptionType.rawValue, kmsKey: record.kmsKey),
            tags: record.tags.isEmpty ? nil : record.tags.map { StateDocument.ResourceTag(Key: $0.key, Value: $0.value) },
            lifecyclePolicyText: record.lifecyclePolicyText, repositoryPolicyText: record.repositoryPolicyText,
            images: record.images.isEmpty ? nil : record.images.map { image in
                StateDocument.Image(
                    imageDigest: image.digest, imageTags: image.tags.isEmpty ? nil : image.tags, imageManifestMediaType: image.mediaType,
                    artifactMediaType: image.artifactMediaType, imageSizeInBytes: image.sizeInBytes, imagePushedAt: image.pushedAt,
                    imageManifest: image.manifest.isEmpty ? nil : image.manifest, imageScanFindings: image.scan.flatMap(StateDocument.ScanFindings.init(scan:)))
            })
    }

    func record(path: String, fail: (String, String) -> InputFileError, now: Date, existing: RegistryState) throws -> RepositoryRecord {
        guard ECRValidation.isRepositoryName(repositoryName) else {
            throw fail(path + ".repositoryName", "expected a repository name of 2-256 lowercase letters, digits, '.', '_', '-' and '/', found '\(repositoryName)'")
        }
        guard existing.repositories[repositoryName] == nil else {
            throw fail(path + ".repositoryName", "repository '\(repositoryName)' appears more than once in this registry")
        }
        let mutability = ImageTagMutability(rawValue: imageTagMutability ?? "MUTABLE")
        guard mutability.isKnown else {
            throw fail(path + ".imageTagMutability", "expected one of \(ImageTagMutability.knownValuesList), found '\(mutability.rawValue)'")
        }
        let filters = imageTagMutabilityExclusionFilters?.map {
            ImageTagMutabilityExclusionFilter(filterType: ImageTagMutabilityExclusionFilterType(rawValue: $0.filterType), filter: $0.filter)
        }
        do {
            try ECRValidation.tagMutability(mutability, filters: filters)
        } catch let error as ECRError {
            throw fail(path + ".imageTagMutabilityExclusionFilters", error.message)
        }
        let encryption = EncryptionType(rawValue: encryptionConfiguration?.encryptionType ?? "AES256")
        guard encryption.isKnown else {
            throw fail(path + ".encryptionConfiguration.encryptionType", "expected one of \(EncryptionType.knownValuesList), found '\(encryption.rawValue)'")
        }
        var images: [ImageRecord] = []
        var tagsSeen = Set<String>()
        for (index, image) in (self.images ?? []).enumerated() {
            let imagePath = "\(path).images[\(index)]"
            guard ContentDigest.isValid(image.imageDigest) else {
                throw fail(imagePath + ".imageDigest", "expected sha256: followed by 64 lowercase hex digits, found '\(image.imageDigest)'")
            }
            if images.contains(where: { $0.digest == image.imageDigest }) {
                throw fail(imagePath + ".imageDigest", "digest \(image.imageDigest) appears more than once in this repository")
            }
            for tag in image.imageTags ?? [] {
                let bounds = ECRConstraints.imageTag
                guard bounds.allowsLength(tag.count) else {
                    throw fail(imagePath + ".imageTags", "expected tags of \(bounds.min ?? 0) to \(bounds.max ?? 0) characters")
                }
                guard tagsSeen.insert(tag).inserted else { throw fail(imagePath + ".imageTags", "tag '\(tag)' is on more than one image of this repository") }
            }
            var size = image.imageSizeInBytes
            var mediaType = image.imageManifestMediaType
            var artifact = image.artifactMediaType
            if let manifest = image.imageManifest {
                let digest = ContentDigest.of(manifest)
                guard digest == image.imageDigest else {
                    throw fail(imagePath + ".imageManifest", "the manifest's sha256 is \(digest), not the imageDigest \(image.imageDigest)")
                }
                let content = ImageManifest.parse(Data(manifest.utf8))
                size = size ?? content?.sizeInBytes(manifestByteCount: manifest.utf8.count) ?? 0
                mediaType = mediaType ?? content?.mediaType
                artifact = artifact ?? content?.configMediaType
            }
            images.append(ImageRecord(
                digest: image.imageDigest, tags: image.imageTags ?? [], manifest: image.imageManifest ?? "",
                mediaType: mediaType ?? "application/vnd.oci.image.manifest.v1+json", artifactMediaType: artifact,
                sizeInBytes: size ?? 0, pushedAt: image.imagePushedAt ?? now,
                scan: try image.imageScanFindings?.scan(path: imagePath + ".imageScanFindings", fail: fail, now: now)))
        }
        return RepositoryRecord(
            name: repositoryName, createdAt: createdAt ?? now, imageTagMutability: mutability, imageTagMutabilityExclusionFilters: filters,
            scanOnPush: imageScanningConfiguration?.scanOnPush ?? false, encryptionType: encryption, kmsKey: encryptionConfiguration?.kmsKey,
            tags: (tags ?? []).map { Tag(key: $0.Key, value: $0.Value) }, lifecyclePolicyText: lifecyclePolicyText,
            repositoryPolicyText: repositoryPolicyText, images: images)
    }
}

extension StateDocument.ScanFindings {
    /// The document's form of a finished scan with findings; nil for one still running or not COMPLETE.
    init?(scan: ImageScanRecord) {
        guard scan.status == .complete else { return nil }
        self.init(imageScanCompletedAt: scan.completedAt, vulnerabilitySourceUpdatedAt: scan.vulnerabilitySourceUpdatedAt, findings: scan.findings)
    }

    /// The seeded scan; a finding's severity must be one of ECR's.
    func scan(path: String, fail: (String, String) -> InputFileError, now: Date) throws -> ImageScanRecord {
        for (index, finding) in (findings ?? []).enumerated() {
            if let severity = finding.severity, !severity.isKnown {
                throw fail("\(path).findings[\(index)].severity", "expected one of \(FindingSeverity.knownValuesList), found '\(severity.rawValue)'")
            }
        }
        return .seeded(findings ?? [], completedAt: imageScanCompletedAt ?? now, vulnerabilitySourceUpdatedAt: vulnerabilitySourceUpdatedAt)
    }
}
