import ECRWire
import Foundation

/// Which CloudTrail events prove each kind of check (see `HistoryReader` for the lookups):
/// - `repositoryExists`: a CreateRepository of that name;
/// - `imageTagPresent`: a PutImage of that repository and tag, its digest from `responseElements`
///   and its manifest from `requestParameters`, judged as a live image is (`sameAs`, pins, digests,
///   media types: a pushed wrong image earns nothing from the trail either); for a repository under a
///   cache rule's prefix, a BatchGetImage of that tag (the student's pull through the cache: the
///   implicit CreateRepository of the cache repository is never relied upon);
/// - `pullThroughCacheRulePresent`: a CreatePullThroughCacheRule with the upstream and a prefix of
///   the pattern (the roster's, when it assigns one), which captures the prefix;
/// - `repositoriesAbsent` / `pullThroughCacheRuleAbsent`: DeleteRepository / DeletePullThroughCacheRule
///   after the build was finished (`cleanupFromTrail`); the live state must still agree.
/// Refused calls (`errorCode`) are never evidence. The earliest event that proves a step is its evidence.
extension CheckContext {
    /// A build step judged from the history: a pass with its event, a failure the history explains,
    /// or nil when the history holds nothing for it (the live outcome stands).
    func trailOutcome(
        _ check: CheckKind, variables: [String: String], history: HistoryReader, cachePrefixes: [String]
    ) async throws -> StepOutcome? {
        guard check.templates.allSatisfy({ $0.render(variables) != nil }) else { return nil }
        func render(_ template: Template) -> String { template.render(variables) ?? template.raw }
        switch check {
        case .repositoryExists(let repository):
            return try await repositoryCreated(render(repository), history: history)
        case .imageTagPresent(let image):
            let repository = render(image.repository), tag = render(image.tag)
            if cachePrefixes.contains(where: { repository.hasPrefix($0 + "/") }) {
                return try await pulledThroughCache(repository: repository, tag: tag, sameAs: image.sameAs, history: history)
            }
            return try await imagePushed(repository: repository, tag: tag, check: image, history: history)
        case .pullThroughCacheRulePresent(let upstream, let pattern, let capture):
            return try await ruleCreated(upstream: upstream, pattern: pattern, capture: capture, history: history)
        case .repositoriesAbsent, .pullThroughCacheRuleAbsent, .permissionsGranted:
            return nil
        }
    }

    func repositoryCreated(_ name: String, history: HistoryReader) async throws -> StepOutcome? {
        let events = try await history.events(named: ECROperation.createRepository.rawValue)
        guard let event = events.first(where: { $0.succeeded && $0.repositoryName == name }) else { return nil }
        return .passed(LocalizedText(ko: "리포지토리 \(name) 생성됨 (\(event.timeText), CloudTrail)", en: "repository \(name) created at \(event.timeText) (CloudTrail)"),
                       observed: ["repository": name], event: event.reference)
    }

    func imagePushed(repository: String, tag: String, check: ImageTagCheck, history: HistoryReader) async throws -> StepOutcome? {
        let events = try await history.events(named: ECROperation.putImage.rawValue)
            .filter { $0.succeeded && $0.repositoryName == repository && $0.parameter("imageTag") == tag }
        var firstFailure: (CloudTrailRecord, StepOutcome)?
        for event in events {
            let digest = event.response("image", "imageId", "imageDigest") ?? ""
            let text = event.parameter("imageManifest") ?? ""
            let parsedType = (JSONValue(json: Data(text.utf8))?["mediaType"]?.stringValue)
            let mediaType = event.parameter("imageManifestMediaType") ?? event.response("image", "imageManifestMediaType") ?? parsedType ?? ""
            var outcome = await judgeImage(
                repository: repository, tag: tag, digest: digest, mediaType: mediaType, sameAs: check.sameAs, digests: check.digestOneOf,
                mediaTypes: check.mediaTypes, manifest: FetchedManifest(data: Data(text.utf8), mediaType: mediaType, digest: digest))
            if outcome.status == .passed {
                outcome.event = event.reference
                outcome.message = LocalizedText(ko: "\(event.timeText)에 push됨: " + outcome.message.ko, en: "pushed at \(event.timeText): " + outcome.message.en)
                return outcome
            }
            if firstFailure == nil { firstFailure = (event, outcome) }
        }
        guard let (event, outcome) = firstFailure, outcome.status == .failed else { return nil }
        return .failed(LocalizedText(
            ko: "\(event.timeText)의 push (CloudTrail): " + outcome.message.ko, en: "the push at \(event.timeText) (CloudTrail): " + outcome.message.en))
    }

    func pulledThroughCache(repository: String, tag: String, sameAs: ImageReference?, history: HistoryReader) async throws -> StepOutcome? {
        let events = try await history.events(ofRepository: repository)
        guard let event = events.first(where: {
            $0.eventName == ECROperation.batchGetImage.rawValue && $0.succeeded && $0.repositoryName == repository && $0.requestedTags.contains(tag)
        }) else { return nil }
        var observed = ["repository": repository, "imageTag": tag]
        var message = LocalizedText(
            ko: "풀스루 캐시로 \(repository):\(tag) pull됨 (\(event.timeText), CloudTrail)",
            en: "\(repository):\(tag) pulled through the cache at \(event.timeText) (CloudTrail)")
        if let sameAs {
            // The record holds no digest (a read-only call): ECR fetched the image from the upstream itself.
            let verdict = ContentVerification(upstream: sameAs.description, verified: false, detail: LocalizedText(
                ko: "캐시가 원본 레지스트리에서 가져온 이미지입니다 (CloudTrail 기록에는 다이제스트가 없음)",
                en: "the cache fetched it from the upstream registry (the history holds no digest)"))
            observed.merge(verdict.observed) { _, new in new }
            message = LocalizedText(ko: message.ko + "; " + verdict.detail.ko, en: message.en + "; " + verdict.detail.en)
        }
        return .passed(message, observed: observed, event: event.reference)
    }

    func ruleCreated(upstream: UpstreamMatch, pattern: PrefixPattern, capture: String?, history: HistoryReader) async throws -> StepOutcome? {
        let events = try await history.events(named: ECROperation.createPullThroughCacheRule.rawValue).filter {
            // A request names the URL only; ECR's answer adds the registry enum. Without it, the URL decides.
            let registry = $0.response("upstreamRegistry") ?? $0.parameter("upstreamRegistry") ?? upstream.upstreamRegistry
            let url = $0.parameter("upstreamRegistryUrl") ?? $0.response("upstreamRegistryUrl")
            return $0.succeeded && upstream.matches(url: url, registry: registry)
        }
        let expected = capture.flatMap { expectedCaptures[$0] }
        let matching = events.filter { event in
            let prefix = event.ecrRepositoryPrefix ?? ""
            return pattern.matches(prefix) && (expected == nil || prefix == expected)
        }
        if let event = matching.first, let prefix = event.ecrRepositoryPrefix {
            return .passed(
                LocalizedText(ko: "\(upstream.description) 풀스루 캐시 규칙 생성됨 (접두사 \(prefix), \(event.timeText), CloudTrail)",
                              en: "pull-through cache rule for \(upstream.description) with prefix \(prefix) created at \(event.timeText) (CloudTrail)"),
                observed: ["ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": event.parameter("upstreamRegistryUrl") ?? ""],
                captured: capture.map { [$0: prefix] } ?? [:], event: event.reference)
        }
        guard let first = events.first else { return nil }
        let prefixes = Self.list(events.compactMap(\.ecrRepositoryPrefix))
        if let expected {
            return .failed(LocalizedText(
                ko: "\(first.timeText)에 만든 \(upstream.description) 규칙의 접두사는 \(prefixes)입니다; 배정된 접두사 \(expected)이어야 합니다 (CloudTrail)",
                en: "the rule(s) for \(upstream.description) created since \(first.timeText) have prefix \(prefixes), expected your assigned prefix \(expected) (CloudTrail)"))
        }
        return .failed(LocalizedText(
            ko: "\(upstream.description) 규칙의 접두사(\(prefixes))가 형식 \(pattern.pattern)에 맞지 않습니다 (CloudTrail)",
            en: "the rule(s) for \(upstream.description) created had prefix \(prefixes), which does not match \(pattern.pattern) (CloudTrail)"))
    }
}
