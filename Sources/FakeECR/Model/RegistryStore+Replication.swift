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
        let outcome = try update(key) { $0.push(push, to: name) }
        if outcome == .pushed { try replicate(push, of: name, from: key) }
        return outcome
    }

    private func replicate(_ push: ImagePush, of name: String, from key: RegistryKey) throws {
        let (destinations, children) = try read(key) { state -> ([RegistryKey], [ImagePush]) in
            guard let configuration = state.settings.replicationConfiguration, state.cacheRule(for: name) == nil,
                let record = state.repositories[name]
            else { return ([], []) }
            var keys: [RegistryKey] = []
            for rule in configuration.rules where Self.rule(rule, matches: name) {
                for destination in rule.destinations {
                    let target = RegistryKey(accountId: destination.registryId, region: destination.region)
                    if target != key, !keys.contains(target) { keys.append(target) }
                }
            }
            let children = push.childDigests.compactMap { digest in record.image(.digest(digest)).flatMap(Self.push(of:)) }
            return (keys, children)
        }
        let source = AccessPrincipal(accountId: key.accountId, arn: "arn:aws:iam::\(key.accountId):root")
        for target in destinations {
            try update(target) { state in
                if target.accountId != key.accountId {
                    // The destination's registry policy must allow the source account ecr:ReplicateImage.
                    guard let text = state.settings.registryPolicyText, let policy = try? PolicyDocument(text: text, kind: .resource) else { return }
                    let request = PolicyRequest(
                        principal: source, action: "ecr:ReplicateImage", resource: "arn:aws:ecr:\(target.region):\(target.accountId):repository/\(name)")
                    let evaluation = PolicyEvaluation.evaluate(
                        request, identity: .root, resource: NamedPolicy(id: "RegistryPolicy", source: .resource, document: policy),
                        resourceAccount: target.accountId)
                    guard evaluation.decision == .allowed else { return }
                }
                if state.repositories[name] == nil { state.insertRepository(RepositoryRecord(name: name, createdAt: push.pushedAt)) }
                state.addBlobs((children + [push]).flatMap(\.blobDigests), to: name)
                for child in children { _ = state.push(child, to: name) }
                _ = state.push(push, to: name)
            }
        }
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
