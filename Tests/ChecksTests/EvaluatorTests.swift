import AsyncHTTPClient
import AWSCore
import Checks
import ECRWire
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

@Suite("Evaluator")
struct EvaluatorTests {
    func withAccount(_ state: String, _ body: (TestFakeECR, LabSpec, URL) async throws -> Void) async throws {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        let account = try await TestFakeECR.start()
        let ledger = try temporaryDirectory()
        do {
            try await account.load(state: state)
            try await body(account, spec, ledger)
        } catch {
            Issue.record(error)
        }
        await account.stop()
        try? FileManager.default.removeItem(at: ledger)
    }

    @Test("a failure says what was expected and what was found")
    func wrongTagMessage() async throws {
        try await withAccount("wrong-tag") { account, spec, ledger in
            let result = try await account.grade(spec, ledgerDirectory: ledger)
            let step = try #require(result.steps.first { $0.id == "image-aws-lbc" })
            #expect(step.status == .failed)
            #expect(step.message.en == "tag v2.9.2 not found in public.ecr.aws/eks/aws-load-balancer-controller; tags there: latest, v2.9.1")
            #expect(step.message.ko.contains("v2.9.2"))
            #expect(step.hint?.en.contains("01_aws_lbc_image_push.sh") == true)
        }
    }

    @Test("a misspelled repository gets a did-you-mean")
    func didYouMean() async throws {
        try await withAccount("misspelled-repository") { account, spec, ledger in
            let result = try await account.grade(spec, ledgerDirectory: ledger)
            let step = try #require(result.steps.first { $0.id == "repo-nginx" })
            #expect(step.message.en == "no repository named public.ecr.aws/nginx/nginx; did you mean public.ecr.aws/nginx/ngnix?")
            let image = try #require(result.steps.first { $0.id == "image-nginx" })
            #expect(image.status == .skipped)
            #expect(image.message.en.contains("repo-nginx"))
        }
    }

    @Test("content checks cost one BatchGetImage per re-compressed image: at most 12 API calls for the whole lab")
    func apiCallBudgetWithContentChecks() async throws {
        // The complete state, every image re-pushed with re-compressed layers: same config, new manifest digests.
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: RepositoryFiles.state("complete"))) as? [String: Any] ?? [:]
        var registries = document["registries"] as? [[String: Any]] ?? []
        var repositories = registries[0]["repositories"] as? [[String: Any]] ?? []
        for index in repositories.indices {
            var images = repositories[index]["images"] as? [[String: Any]] ?? []
            for imageIndex in images.indices {
                guard let text = images[imageIndex]["imageManifest"] as? String,
                      var manifest = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                      let layers = manifest["layers"] as? [[String: Any]] else { continue }
                manifest["layers"] = layers.map { layer in
                    var layer = layer
                    layer["digest"] = ContentCheckTests.digest("re-compressed \(layer["digest"] ?? "")")
                    return layer
                }
                let changed = String(decoding: try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys]), as: UTF8.self)
                images[imageIndex]["imageManifest"] = changed
                images[imageIndex]["imageDigest"] = ContentCheckTests.digest(changed)
            }
            repositories[index]["images"] = images
        }
        registries[0]["repositories"] = repositories
        document["registries"] = registries
        let state = try StateDocument.parse(try JSONSerialization.data(withJSONObject: document), file: "re-compressed complete")
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        let ledger = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: ledger) }
        try await TestFakeECR.with { fake in
            try await fake.server.loadState(state)
            await fake.server.resetRequestCounts()
            let result = try await fake.grade(spec, phase: .build, ledgerDirectory: ledger)
            let counts = await fake.server.requestCounts()
            let total = counts.values.reduce(0, +)
            #expect(result.percentage == 100, "\(result.steps.map(\.message.en))")
            let images = result.steps.filter { $0.id.hasPrefix("image-") || $0.id == "cache-nginx" }
            #expect(images.allSatisfy { $0.content?.verified == true }, "\(images.map { $0.content?.detail.en ?? "-" })")
            #expect(total <= 12, "\(counts)")
            // Three image manifests are read for their configs; the cached index matches the pinned index as it is.
            #expect(counts["ecr:BatchGetImage"] == 3, "\(counts)")
        }
    }

    @Test("the whole lab for one student costs at most 8 API calls")
    func apiCallBudget() async throws {
        try await withAccount("complete") { account, spec, ledger in
            await account.server.resetRequestCounts()
            let result = try await account.grade(spec, ledgerDirectory: ledger)
            let counts = await account.server.requestCounts()
            let total = counts.values.reduce(0, +)
            #expect(total <= 8, "\(counts)")
            #expect(result.apiCalls == total)
            #expect(counts["ecr:DescribeRepositories"] == 1)
            #expect(counts["ecr:DescribePullThroughCacheRules"] == 1)
        }
    }

    @Test("a step that passed once stays passed, with its first evidence")
    func ledgerKeepsPasses() async throws {
        try await withAccount("complete") { account, spec, ledger in
            let first = try await account.grade(spec, phase: .build, ledgerDirectory: ledger)
            #expect(first.percentage == 100)
            let nginx = try #require(first.steps.first { $0.id == "cache-nginx" })
            #expect(nginx.evidence?.observed["imageDigest"]?.hasPrefix("sha256:") == true)

            try await account.load(state: "fresh")
            let second = try await account.grade(spec, phase: .build, ledgerDirectory: ledger)
            #expect(second.percentage == 100)
            #expect(second.steps.allSatisfy { $0.passedEarlier })
            let again = try #require(second.steps.first { $0.id == "cache-nginx" })
            #expect(again.evidence == nginx.evidence)
            #expect(again.message.en.hasPrefix("passed earlier (now: "))
            // The date lives in the evidence only; reports print it once from there.
            let year = String(Calendar(identifier: .gregorian).component(.year, from: nginx.evidence?.firstPassedAt ?? Date()))
            #expect(!again.message.en.contains(year) && !again.message.ko.contains(year))
        }
    }

    @Test("cleanup is skipped until the build was seen, then graded using the captured prefix")
    func cleanupNeedsBuild() async throws {
        try await withAccount("after-cache") { account, spec, ledger in
            let early = try await account.grade(spec, phase: .cleanup, ledgerDirectory: ledger)
            #expect(early.steps.map(\.id) == ["cleanup-cache-rule", "cleanup-repositories"])
            #expect(early.steps.allSatisfy { $0.status == .skipped && $0.message.en.hasPrefix("finish the build steps first") })
            #expect(early.totalPoints == 25)

            try await account.load(state: "complete")
            _ = try await account.grade(spec, ledgerDirectory: ledger)
            try await account.load(state: "cleaned-up")
            let done = try await account.grade(spec, phase: .cleanup, ledgerDirectory: ledger)
            #expect(done.steps.allSatisfy { $0.status == .passed }, "\(done.steps.map(\.message.en))")
            let rule = try #require(done.steps.first { $0.id == "cleanup-cache-rule" })
            #expect(rule.message.en.contains("public-ecr-9641173"))
        }
    }

    @Test("an unreachable endpoint makes every step an error, not a failure")
    func unreachable() async throws {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        let http = AWSClient.makeHTTPClient()
        let endpoint = try #require(URL(string: "http://127.0.0.1:1"))
        let clients = AccountClients.fixed(TestFakeECR.exampleCredentials, endpoint: endpoint, region: "ap-northeast-1", httpClient: http, retryPolicy: .none)
        let result = try await AccountGrader(spec: spec, phase: .build, ledgers: MemoryLedgerStore())
            .grade(clients, .init(accountId: "111122223333"))
        let direct = result.steps.filter { spec.step($0.id)?.needs.isEmpty == true }
        let dependent = result.steps.filter { spec.step($0.id)?.needs.isEmpty == false }
        #expect(direct.count == 4)
        #expect(direct.allSatisfy { $0.status == .error && $0.errorType == "ConnectionFailed" })
        #expect(direct.allSatisfy { $0.message.en.contains("http://127.0.0.1:1") })
        #expect(dependent.allSatisfy { $0.status == .skipped })
        #expect(result.hasErrors)
        try await http.shutdown()
    }
}
