import ECRWire
import Foundation

extension CheckContext {
    /// Whether the image tagged in `repository` is the upstream image `reference`, judged on content:
    /// its manifest digest is the upstream's index or a platform manifest (`docker push` of a pulled
    /// image keeps it), or its config digest is a platform's config (the image id survives a manifest
    /// rewritten on push: podman writes its own, and may re-compress layers); `known` is the manifest when
    /// already at hand (a PutImage record's), else it is fetched. For a pushed index, each of its platform manifests must be one of
    /// the upstream's. Without pins for `reference`, a pass by tag that says it was not verified.
    func content(
        of reference: ImageReference, repository: String, tag: String, digest: String, manifest known: FetchedManifest? = nil
    ) async -> ContentJudgement {
        let upstream = reference.description
        guard let pinned = pins?.image(reference) else {
            return .verdict(ContentVerification(upstream: upstream, verified: false, detail: LocalizedText(
                ko: "내용 확인 안 됨: \(upstream)의 고정 다이제스트(pins)가 없어 태그로만 채점했습니다",
                en: "content not verified: no pins for \(upstream), graded by tag only")))
        }
        if let platform = pinned.platforms.first(where: { $0.manifestDigest == digest }) {
            return .verdict(verified(upstream, LocalizedText(
                ko: "매니페스트 다이제스트가 원본의 \(platform.platform) 매니페스트와 같습니다",
                en: "manifest digest is the upstream's \(platform.platform) manifest")))
        }
        if digest == pinned.digest {
            return .verdict(verified(upstream, LocalizedText(
                ko: "원본 이미지 인덱스 그대로 push되었습니다 (\(pinned.platformList))",
                en: "the upstream's index pushed whole (\(pinned.platformList))")))
        }
        let manifest: FetchedManifest?
        if let known {
            manifest = known
        } else {
            do {
                manifest = try await reader.manifest(repository: repository, tag: tag)
            } catch {
                return .outcome(.error(error))
            }
        }
        guard let manifest, let parsed = ManifestDigests.parse(manifest.data) else {
            return .outcome(.failed(different(reference, repository: repository, tag: tag, found: LocalizedText(
                ko: "매니페스트 \(digest)를 읽을 수 없습니다", en: "its manifest \(digest) cannot be read"), pinned: pinned)))
        }
        if parsed.isIndex {
            let children = (parsed.manifests ?? []).map(\.digest)
            let known = pinned.manifestDigests
            if !children.isEmpty, children.allSatisfy(known.contains) {
                return .verdict(verified(upstream, LocalizedText(
                    ko: "push된 인덱스의 플랫폼 매니페스트가 모두 원본의 것입니다", en: "every platform manifest of the pushed index is the upstream's")))
            }
            return .outcome(.failed(different(reference, repository: repository, tag: tag, found: LocalizedText(
                ko: "인덱스 \(digest)의 매니페스트 \(CheckContext.list(children.filter { !known.contains($0) }))가 원본에 없습니다",
                en: "index \(digest) lists manifests \(CheckContext.list(children.filter { !known.contains($0) })) that are not the upstream's"),
                pinned: pinned)))
        }
        guard let config = parsed.config?.digest else {
            return .outcome(.failed(different(reference, repository: repository, tag: tag, found: LocalizedText(
                ko: "매니페스트 \(digest)에 config가 없습니다", en: "manifest \(digest) has no config"), pinned: pinned)))
        }
        if let platform = pinned.platforms.first(where: { $0.configDigest == config }) {
            return .verdict(verified(upstream, LocalizedText(
                ko: "config 다이제스트가 원본의 \(platform.platform) 이미지와 같습니다 (push할 때 매니페스트가 다시 쓰임)",
                en: "config digest is the upstream's \(platform.platform) image (its manifest was rewritten on push)")))
        }
        return .outcome(.failed(different(reference, repository: repository, tag: tag, found: LocalizedText(
            ko: "config \(config)가 원본의 \(pinned.platformList) config 어느 것과도 다릅니다",
            en: "config \(config) is none of the upstream's \(pinned.platformList) configs"), pinned: pinned)))
    }

    private func verified(_ upstream: String, _ detail: LocalizedText) -> ContentVerification {
        ContentVerification(upstream: upstream, verified: true, detail: detail)
    }

    /// "public.ecr.aws/nginx/nginx:1.27 here is not nginx 1.27 from public.ecr.aws: …"
    private func different(
        _ reference: ImageReference, repository: String, tag: String, found: LocalizedText, pinned: UpstreamPins.Image
    ) -> LocalizedText {
        let name = reference.path.split(separator: "/").last.map(String.init) ?? reference.path
        return LocalizedText(
            ko: "\(repository):\(tag)은(는) \(reference.registry)의 \(name) \(reference.tag)가 아닙니다: \(found.ko). 원본 이미지를 pull해서 그대로 push하세요.",
            en: "\(repository):\(tag) here is not \(name) \(reference.tag) from \(reference.registry): \(found.en)")
    }
}

/// What judging an image's content gave: a verdict that lets the step pass (verified or not), or the
/// step's outcome (failed: another image; error: the manifest could not be read).
enum ContentJudgement {
    case verdict(ContentVerification)
    case outcome(StepOutcome)
}
