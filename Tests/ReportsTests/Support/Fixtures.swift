import Checks
import Foundation

enum Fixtures {
    /// Tests/ReportsTests/Schemas, found from this file's path (the test target declares no resources).
    static var schemasDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schemas")
    }

    static var antSchema: URL { schemasDirectory.appendingPathComponent("ant-junit.xsd") }
    static var jenkinsSchema: URL { schemasDirectory.appendingPathComponent("jenkins-junit-10.xsd") }

    /// A fresh empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ReportsTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let started = Date(timeIntervalSince1970: 1_735_787_045.125)  // 2025-01-02T03:04:05.125Z
    static let finished = Date(timeIntervalSince1970: 1_735_787_047.5)

    /// All four statuses, an error with errorType, evidence (one passed earlier), Korean and English,
    /// a long Korean title; build and cleanup phases.
    static func sample(phase: PhaseSelection = .all) -> LabResult {
        let steps: [StepResult] = [
            StepResult(
                id: "repo-aws-lbc", phase: .build,
                title: LocalizedText(ko: "리포지토리 생성: aws-load-balancer-controller", en: "Repository aws-load-balancer-controller exists"),
                hint: nil, points: 10, earned: 10, status: .passed,
                message: LocalizedText(ko: "리포지토리가 있습니다", en: "The repository exists"),
                evidence: Evidence(firstPassedAt: started, observed: ["repository": "public.ecr.aws/eks/aws-load-balancer-controller"]),
                durationSeconds: 0.2345),
            StepResult(
                id: "image-nginx", phase: .build,
                title: LocalizedText(ko: "이미지 푸시: nginx:1.27", en: "Image pushed: nginx:1.27"),
                hint: LocalizedText(ko: "docker push 로 1.27 태그를 푸시하세요", en: "Push tag 1.27 with docker push"),
                points: 20, earned: 0, status: .failed,
                message: LocalizedText(ko: "태그 1.27 이 없습니다", en: "Tag 1.27 not found in public.ecr.aws/nginx/nginx"),
                durationSeconds: 0.1),
            StepResult(
                id: "cache-rule", phase: .build,
                title: LocalizedText(ko: "풀스루 캐시 규칙", en: "Pull-through cache rule"),
                hint: LocalizedText(ko: "인스턴스 역할에 ecr:DescribePullThroughCacheRules 권한을 주세요", en: "Grant ecr:DescribePullThroughCacheRules to the instance role"),
                points: 25, earned: 0, status: .error,
                message: LocalizedText(ko: "권한이 없습니다", en: "Access denied"),
                errorType: "AccessDeniedException", durationSeconds: 0.05),
            StepResult(
                id: "cache-nginx", phase: .build,
                title: LocalizedText(ko: "캐시를 통해 nginx 가져오기", en: "nginx pulled through the cache"),
                hint: LocalizedText(ko: "먼저 캐시 규칙을 만드세요", en: "Create the cache rule first"),
                points: 10, earned: 0, status: .skipped,
                message: LocalizedText(ko: "cache-rule 이 통과하지 않아 건너뜀", en: "Skipped: cache-rule did not pass")),
            StepResult(
                id: "cleanup-cache-rule", phase: .cleanup,
                title: LocalizedText(ko: "캐시 규칙 삭제", en: "Cache rule deleted"),
                hint: nil, points: 35, earned: 35, status: .passed,
                message: LocalizedText(ko: "규칙이 삭제되었습니다", en: "The rule is deleted"),
                evidence: Evidence(
                    firstPassedAt: Date(timeIntervalSince1970: 1_735_700_000),
                    observed: ["ecrRepositoryPrefix": "public-ecr-9641173"]),
                passedEarlier: true),
        ]
        let filtered = steps.filter { phase.includes($0.phase) }
        return LabResult(
            labId: "ecr-lab", labTitle: LocalizedText(ko: "ECR 실습", en: "ECR lab"), accountId: "123456789012",
            region: "ap-northeast-2", studentId: "s-001", phase: phase, startedAt: started, finishedAt: finished,
            steps: filtered, apiCalls: 7)
    }

    /// Titles and messages full of things XML must escape or cannot hold.
    static func hostile() -> LabResult {
        let nasty = "a < b && c > d \"quoted\" 'single' ]]> end \u{0}nul \u{1B}[31mred\u{1B}[0m bell\u{7} \u{FFFF} 태그가 없습니다"
        var result = sample()
        result.labTitle = LocalizedText(ko: "실습 <&]]>\u{1B}", en: "Lab <&]]>\u{1B}")
        result.steps[0].title = LocalizedText(ko: "제목 \(nasty)", en: "title \(nasty)")
        result.steps[1].message = LocalizedText(ko: "메시지 \(nasty)", en: "message \(nasty)\nsecond line")
        result.steps[1].hint = LocalizedText(ko: "힌트 \(nasty)", en: "hint \(nasty)")
        result.steps[2].errorType = "Weird<Type>&\"\u{0}\""
        result.steps[2].message = LocalizedText(ko: nasty, en: nasty)
        result.steps[3].message = LocalizedText(ko: "]]>]]>", en: "]]>]]>")
        result.accountId = "12<34>&\u{7}"
        return result
    }
}
