import ECRWire
import Foundation

/// Pushes, and the replication that follows them: a pushed image whose repository a rule of the
/// registry's replication configuration matches (every repository, or those whose name starts with
/// one of the rule's PREFIX_MATCH filters) is copied to each destination registry of the fake, its
/// repository created there with ECR's defaults when missing. A destination of another account
/// takes it only when its registry policy allows the source account `ecr:ReplicateImage`. As in ECR,
/// deletions are not replicated, and neither are pull through cache repositories.
extension RegistryStore {
    /// Pushes an image to the repository `name` of `key`'s registry (THE push of both planes) and
    /// replicates it when the outcome is `.pushed`.
    func push(_ push: ImagePush, to name: String, in key: RegistryKey) throws -> ImagePushOutcome {
        let scanner = pushScanner
        return try transaction { registries in
            let outcome = try registries.update(key) { state in
                let outcome = state.push(push, to: name)
                if outcome == .pushed, let scanner { state.scanOnPush(push.digest, in: name, scanner) }
                return outcome
            }
            if outcome == .pushed { try Self.replicate(push, of: name, from: key, in: &registries) }
            return outcome
        }
    }

    private static func replicate(_ push: ImagePush, of name: String, from key: RegistryKey, in registries: inout Registries) throws {
        let (destinations, children) = try registries.read(key) { state -> ([RegistryKey], [ImagePush]) in
            guard let record = state.repositories[name] else { return ([], []) }
            let children = push.childDigests.compactMap { digest in record.image(.digest(digest)).flatMap(Self.push(of:)) }
            return (Self.destinations(of: name, in: state), children)
        }
        for target in destinations {
            try registries.update(target) { state in
                guard Self.acceptsReplication(of: name, from: key, into: state) else { return }
                if state.repositories[name] == nil { state.insertRepository(RepositoryRecord(name: name, createdAt: push.pushedAt)) }
                state.addBlobs((children + [push]).flatMap(\.blobDigests), to: name)
                for child in children { _ = state.push(child, to: name) }
                _ = state.push(push, to: name)
            }
        }
    }

    /// DescribeImageReplicationStatus: for each destination the registry's replication rules name for
    /// the repository, COMPLETE when the image is there, FAILED when that destination's registry
    /// policy does not let this account replicate into it. Replication here is part of the push, so
    /// nothing is ever IN_PROGRESS; a destination that neither holds the image nor refuses it (the
    /// image was pushed before the rule) is not listed, as ECR replicates only what is pushed after.
    func replicationStatuses(of digest: String, in name: String, from key: RegistryKey) throws -> [ImageReplicationStatus] {
        try transaction { registries in try Self.replicationStatuses(of: digest, in: name, from: key, in: registries) }
    }

    private static func replicationStatuses(
        of digest: String, in name: String, from key: RegistryKey, in registries: Registries
    ) throws -> [ImageReplicationStatus] {
        let destinations = try registries.read(key) { Self.destinations(of: name, in: $0) }
        var statuses: [ImageReplicationStatus] = []
        for target in destinations {
            let status = try registries.read(target) { state -> ImageReplicationStatus? in
                if state.repositories[name]?.image(.digest(digest)) != nil {
                    return ImageReplicationStatus(region: target.region, registryId: target.accountId, status: .complete)
                }
                guard !Self.acceptsReplication(of: name, from: key, into: state) else { return nil }
                return ImageReplicationStatus(
                    region: target.region, registryId: target.accountId, status: .failed, failureCode: Self.replicationNotAuthorized)
            }
            if let status { statuses.append(status) }
        }
        return statuses
    }

    /// The failure code of a destination whose registry policy refused the replication. ECR documents
    /// no list of failure codes; this one is the fake's own.
    static let replicationNotAuthorized = "REPLICATION_NOT_AUTHORIZED"

    /// The destination registries (other than the source) that the replication rules of `state`
    /// name for repository `name`, in rule order; none for a pull through cache repository.
    static func destinations(of name: String, in state: RegistryState) -> [RegistryKey] {
        guard let configuration = state.settings.replicationConfiguration, state.cacheRule(for: name) == nil else { return [] }
        var keys: [RegistryKey] = []
        for rule in configuration.rules where Self.rule(rule, matches: name) {
            for destination in rule.destinations {
                let target = RegistryKey(accountId: destination.registryId, region: destination.region)
                if target != state.key, !keys.contains(target) { keys.append(target) }
            }
        }
        return keys
    }

    /// Whether the destination registry `state` takes images of `name` replicated from `source`: the
    /// same account always; another account only when the destination's registry policy allows the
    /// source account `ecr:ReplicateImage`.
    static func acceptsReplication(of name: String, from source: RegistryKey, into state: RegistryState) -> Bool {
        guard state.key.accountId != source.accountId else { return true }
        guard let text = state.settings.registryPolicyText, let policy = try? PolicyDocument(text: text, kind: .resource) else { return false }
        let principal = AccessPrincipal(accountId: source.accountId, arn: "arn:aws:iam::\(source.accountId):root")
        let request = PolicyRequest(
            principal: principal, action: "ecr:ReplicateImage", resource: "arn:aws:ecr:\(state.key.region):\(state.key.accountId):repository/\(name)")
        let evaluation = PolicyEvaluation.evaluate(
            request, identity: .root, resource: NamedPolicy(id: "RegistryPolicy", source: .resource, document: policy),
            resourceAccount: state.key.accountId)
        return evaluation.decision == .allowed
    }

    /// Whether a replication rule applies to the repository `name` (no filters: every repository).
    static func rule(_ rule: ReplicationRule, matches name: String) -> Bool {
        guard let filters = rule.repositoryFilters, !filters.isEmpty else { return true }
        return filters.contains { $0.filterType == .prefixMatch && name.hasPrefix($0.filter) }
    }

    /// A stored image as a push (untagged) of its manifest, to copy it elsewhere.
    static func push(of image: ImageRecord) -> ImagePush? {
        guard let parsed = ImageManifest.parse(Data(image.manifest.utf8)) else { return nil }
        return ImagePush(manifest: image.manifest, digest: image.digest, parsed: parsed, mediaType: image.mediaType, tag: nil, pushedAt: image.pushedAt)
    }
}
