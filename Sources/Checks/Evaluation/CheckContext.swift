import AWSCore
import ECRWire
import Foundation

/// Evaluates single checks against the listings of one account, and words what it found.
struct CheckContext: Sendable {
    let reader: AccountReader
    let repositories: Result<[Repository], any Error>
    let rules: Result<[PullThroughCacheRule], any Error>
    let registryId: String
    /// Values capturing steps must find, e.g. `["prefix": "public-ecr-1234"]` from a roster.
    var expectedCaptures: [String: String] = [:]
    /// The upstream images' digests, for `sameAs` (nil: none pinned, image steps graded by tag).
    var pins: UpstreamPins?

    func evaluate(_ check: CheckKind, variables: [String: String]) async -> StepOutcome {
        for template in check.templates where template.render(variables) == nil {
            let missing = template.variables.filter { variables[$0] == nil }.joined(separator: ", ")
            return .skipped(LocalizedText(
                ko: "'\(template.raw)'에 필요한 값(\(missing))을 아직 알 수 없어 건너뜀",
                en: "skipped: the value of \(missing) needed by '\(template.raw)' is not known yet"))
        }
        func render(_ template: Template) -> String { template.render(variables) ?? template.raw }
        switch check {
        case .repositoryExists(let repository):
            return repositoryExists(render(repository))
        case .imageTagPresent(let check):
            return await imageTagPresent(
                repository: render(check.repository), tag: render(check.tag), sameAs: check.sameAs, digests: check.digestOneOf,
                mediaTypes: check.mediaTypes)
        case .pullThroughCacheRulePresent(let upstream, let pattern, let capture):
            return rulePresent(upstream: upstream, pattern: pattern, capture: capture)
        case .repositoriesAbsent(let names):
            return repositoriesAbsent(names.map(render))
        case .pullThroughCacheRuleAbsent(let prefix):
            return ruleAbsent(render(prefix))
        case .permissionsGranted(let check):
            return await permissionsGranted(check, variables: variables)
        }
    }

    func repositoryExists(_ name: String) -> StepOutcome {
        let repositories: [Repository]
        switch self.repositories {
        case .failure(let error): return .error(error)
        case .success(let value): repositories = value
        }
        let names = repositories.compactMap(\.repositoryName)
        if let repository = repositories.first(where: { $0.repositoryName == name }) {
            var observed = ["repository": name]
            if let uri = repository.repositoryUri { observed["repositoryUri"] = uri }
            return .passed(LocalizedText(ko: "리포지토리 \(name) 있음", en: "repository \(name) exists"), observed: observed)
        }
        return .failed(missingRepository(name, among: names))
    }

    func missingRepository(_ name: String, among names: [String]) -> LocalizedText {
        if let suggestion = Suggestions.closest(to: name, in: names) {
            return LocalizedText(
                ko: "\(name) 리포지토리가 없습니다. 혹시 \(suggestion) 을(를) 만드셨나요? 이름을 확인하세요.",
                en: "no repository named \(name); did you mean \(suggestion)?")
        }
        let listing = names.isEmpty ? LocalizedText(ko: "리포지토리가 하나도 없습니다", en: "the registry has no repositories")
            : LocalizedText(ko: "있는 리포지토리: \(Self.list(names))", en: "repositories there: \(Self.list(names))")
        return LocalizedText(ko: "\(name) 리포지토리가 없습니다 (\(listing.ko))", en: "no repository named \(name) (\(listing.en))")
    }

    func imageTagPresent(
        repository: String, tag: String, sameAs: ImageReference?, digests: [String]?, mediaTypes: [String]?
    ) async -> StepOutcome {
        let names: [String]
        switch repositories {
        case .failure(let error): return .error(error)
        case .success(let value): names = value.compactMap(\.repositoryName)
        }
        guard names.contains(repository) else { return .failed(missingRepository(repository, among: names)) }
        let images: [ImageDetail]
        do {
            images = try await reader.images(repository: repository)
        } catch let error as AWSServiceError where error.code == ECRErrorCode.repositoryNotFound.rawValue {
            return .failed(missingRepository(repository, among: names))
        } catch {
            return .error(error)
        }
        guard let image = images.first(where: { ($0.imageTags ?? []).contains(tag) }) else {
            let tags = images.flatMap { $0.imageTags ?? [] }.sorted()
            let untagged = images.filter { ($0.imageTags ?? []).isEmpty }.count
            var found = tags.isEmpty ? LocalizedText(ko: "태그가 하나도 없습니다", en: "no tags there") :
                LocalizedText(ko: "있는 태그: \(Self.list(tags))", en: "tags there: \(Self.list(tags))")
            if untagged > 0 {
                found = LocalizedText(ko: found.ko + ", 태그 없는 이미지 \(untagged)개", en: found.en + ", \(untagged) untagged image(s)")
            }
            return .failed(LocalizedText(
                ko: "\(repository)에 \(tag) 태그가 없습니다; \(found.ko)",
                en: "tag \(tag) not found in \(repository); \(found.en)"))
        }
        return await judgeImage(
            repository: repository, tag: tag, digest: image.imageDigest ?? "", mediaType: image.imageManifestMediaType ?? "",
            sameAs: sameAs, digests: digests, mediaTypes: mediaTypes, manifest: nil)
    }

    /// Whether the image tagged `tag` in `repository` (seen live, or in a PutImage record with its
    /// manifest) is the one the step asks for: its digest, media type and upstream content.
    func judgeImage(
        repository: String, tag: String, digest: String, mediaType: String, sameAs: ImageReference?, digests: [String]?,
        mediaTypes: [String]?, manifest: FetchedManifest?
    ) async -> StepOutcome {
        if let digests, !digests.contains(digest) {
            return .failed(LocalizedText(
                ko: "\(repository):\(tag)의 다이제스트 \(digest)가 원본 이미지와 다릅니다 (기대: \(Self.list(digests))). 원본 이미지를 그대로 push하세요.",
                en: "\(repository):\(tag) has digest \(digest), not one of the upstream image's (\(Self.list(digests))); push the upstream image unchanged"))
        }
        if let mediaTypes, !mediaTypes.contains(mediaType) {
            return .failed(LocalizedText(
                ko: "\(repository):\(tag)의 미디어 타입이 \(mediaType.isEmpty ? "없음" : mediaType)입니다 (기대: \(Self.list(mediaTypes)))",
                en: "\(repository):\(tag) has media type \(mediaType.isEmpty ? "(none)" : mediaType), expected \(Self.list(mediaTypes))"))
        }
        var observed = ["repository": repository, "imageTag": tag, "imageDigest": digest]
        if !mediaType.isEmpty { observed["imageManifestMediaType"] = mediaType }
        var message = LocalizedText(ko: "\(repository):\(tag) 있음 (\(digest))", en: "\(repository):\(tag) present (\(digest))")
        if let sameAs {
            switch await content(of: sameAs, repository: repository, tag: tag, digest: digest, manifest: manifest) {
            case .outcome(let outcome):
                return outcome
            case .verdict(let verdict):
                observed.merge(verdict.observed) { _, new in new }
                message = LocalizedText(ko: message.ko + "; " + verdict.detail.ko, en: message.en + "; " + verdict.detail.en)
            }
        }
        return .passed(message, observed: observed)
    }

    func rulePresent(upstream: UpstreamMatch, pattern: PrefixPattern, capture: String?) -> StepOutcome {
        let rules: [PullThroughCacheRule]
        switch self.rules {
        case .failure(let error): return .error(error)
        case .success(let value): rules = value
        }
        let forUpstream = rules.filter { upstream.matches(url: $0.upstreamRegistryUrl, registry: $0.upstreamRegistry?.rawValue) }
        // Several matching rules: prefer the one the student pulled through (repositories under its
        // prefix), then the oldest, so the captured prefix is the one the later steps will find.
        let repositoryNames = (try? repositories.get().compactMap(\.repositoryName)) ?? []
        func cachedCount(_ rule: PullThroughCacheRule) -> Int {
            let prefix = (rule.ecrRepositoryPrefix ?? "") + "/"
            return repositoryNames.filter { $0.hasPrefix(prefix) }.count
        }
        let expected = capture.flatMap { expectedCaptures[$0] }
        let matching = forUpstream.filter { pattern.matches($0.ecrRepositoryPrefix ?? "") && (expected == nil || $0.ecrRepositoryPrefix == expected) }
            .map { (rule: $0, cached: cachedCount($0)) }
            .sorted { ($1.cached, $0.rule.createdAt ?? .distantPast, $0.rule.ecrRepositoryPrefix ?? "")
                < ($0.cached, $1.rule.createdAt ?? .distantPast, $1.rule.ecrRepositoryPrefix ?? "") }
            .map(\.rule)
        if let rule = matching.first, let prefix = rule.ecrRepositoryPrefix {
            var observed = ["ecrRepositoryPrefix": prefix, "upstreamRegistryUrl": rule.upstreamRegistryUrl ?? ""]
            if matching.count > 1 { observed["otherMatchingPrefixes"] = matching.dropFirst().compactMap(\.ecrRepositoryPrefix).joined(separator: ",") }
            return .passed(
                LocalizedText(ko: "\(upstream.description) 풀스루 캐시 규칙 있음 (접두사 \(prefix))",
                              en: "pull-through cache rule for \(upstream.description) with prefix \(prefix)"),
                observed: observed, captured: capture.map { [$0: prefix] } ?? [:])
        }
        if let expected, !forUpstream.isEmpty {
            let prefixes = forUpstream.compactMap(\.ecrRepositoryPrefix)
            return .failed(LocalizedText(
                ko: "\(upstream.description) 규칙의 접두사는 \(expected)이어야 하는데 \(Self.list(prefixes))입니다",
                en: "the rule(s) for \(upstream.description) have prefix \(Self.list(prefixes)), expected your assigned prefix \(expected)"))
        }
        if !forUpstream.isEmpty {
            let prefixes = forUpstream.compactMap(\.ecrRepositoryPrefix)
            return .failed(LocalizedText(
                ko: "\(upstream.description) 규칙의 접두사(\(Self.list(prefixes)))가 형식 \(pattern.pattern)에 맞지 않습니다",
                en: "the rule(s) for \(upstream.description) have prefix \(Self.list(prefixes)), which does not match \(pattern.pattern)"))
        }
        if rules.isEmpty {
            return .failed(LocalizedText(ko: "풀스루 캐시 규칙이 없습니다", en: "no pull-through cache rule exists"))
        }
        let others = rules.map { "\($0.ecrRepositoryPrefix ?? "?") → \($0.upstreamRegistryUrl ?? "?")" }
        return .failed(LocalizedText(
            ko: "\(upstream.description) 용 풀스루 캐시 규칙이 없습니다 (있는 규칙: \(Self.list(others)))",
            en: "no pull-through cache rule for \(upstream.description) (rules there: \(Self.list(others)))"))
    }

    func repositoriesAbsent(_ names: [String]) -> StepOutcome {
        let existing: Set<String>
        switch repositories {
        case .failure(let error): return .error(error)
        case .success(let value): existing = Set(value.compactMap(\.repositoryName))
        }
        let left = names.filter(existing.contains)
        if left.isEmpty {
            return .passed(LocalizedText(ko: "리포지토리 \(names.count)개 모두 삭제됨", en: "all \(names.count) repositories are deleted"),
                           observed: ["repositories": names.joined(separator: ",")])
        }
        return .failed(LocalizedText(
            ko: "아직 남아 있는 리포지토리: \(Self.list(left))", en: "repositories still there: \(Self.list(left))"))
    }

    /// The conditions of a check made of several, each met or not by the live state; nil for other kinds
    /// (or when the listing failed, or a value is not known yet).
    func conditions(_ check: CheckKind, variables: [String: String]) -> [StepCondition]? {
        guard case .repositoriesAbsent(let templates) = check, case .success(let repositories) = repositories else { return nil }
        let names = templates.compactMap { $0.render(variables) }
        guard names.count == templates.count else { return nil }
        let existing = Set(repositories.compactMap(\.repositoryName))
        return names.map { StepCondition(name: $0, met: !existing.contains($0)) }
    }

    func ruleAbsent(_ prefix: String) -> StepOutcome {
        let rules: [PullThroughCacheRule]
        switch self.rules {
        case .failure(let error): return .error(error)
        case .success(let value): rules = value
        }
        if rules.contains(where: { $0.ecrRepositoryPrefix == prefix }) {
            return .failed(LocalizedText(
                ko: "풀스루 캐시 규칙 \(prefix)이(가) 아직 있습니다", en: "pull-through cache rule \(prefix) still exists"))
        }
        return .passed(LocalizedText(ko: "풀스루 캐시 규칙 \(prefix) 삭제됨", en: "pull-through cache rule \(prefix) is deleted"),
                       observed: ["ecrRepositoryPrefix": prefix])
    }

    /// At most ten names, then how many more.
    static func list(_ items: [String]) -> String {
        let shown = items.prefix(10).joined(separator: ", ")
        return items.count > 10 ? shown + " (+\(items.count - 10))" : shown
    }
}
