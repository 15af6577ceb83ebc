import AWSCore
import Checks
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// Grading from the account's CloudTrail history, through the fake's LookupEvents over real HTTP.
@Suite("History scenarios")
struct HistoryScenarioTests {
    let spec: LabSpec

    init() throws {
        spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
    }

    /// Grades fixture state `name` with an empty ledger.
    func grade(
        _ name: String, configuration: FakeECRConfiguration = TestFakeECR.historyConfiguration(), expectedCaptures: [String: String] = [:],
        lookupRate: Int = 50, history: HistoryWindow?? = nil, credentials: Credentials = TestFakeECR.exampleCredentials
    ) async throws -> LabResult {
        let ledger = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: ledger) }
        return try await TestFakeECR.with(configuration) { fake in
            try await fake.load(state: name)
            return try await fake.grade(
                spec, ledgerDirectory: ledger, expectedCaptures: expectedCaptures, lookupRate: lookupRate, history: history,
                credentials: credentials)
        }
    }

    func step(_ result: LabResult, _ id: String) -> StepResult? { result.steps.first { $0.id == id } }

    @Test("cleaned up, no ledger: every step passes on an event of the trail, which the result names")
    func cleanedUpFromTheTrail() async throws {
        let result = try await grade("cleaned-up-with-history")
        #expect(result.percentage == 100)
        for step in result.steps {
            #expect(step.source == .trail, "\(step.id): \(String(describing: step.source)) — \(step.message.en)")
            let event = try #require(step.evidence?.event, "\(step.id) has no event")
            #expect(!event.eventId.isEmpty)
            #expect(event.principalArn == "arn:aws:iam::\(TestFakeECR.accountId):user/student")
            #expect(step.evidence?.firstPassedAt == event.eventTime)
        }
        #expect(step(result, "image-nginx")?.evidence?.event?.eventName == "PutImage")
        #expect(step(result, "image-nginx")?.content?.verified == true, "pins still judge a pushed image from its PutImage manifest")
        #expect(step(result, "cache-nginx")?.evidence?.event?.eventName == "BatchGetImage")
        #expect(step(result, "cleanup-repositories")?.evidence?.event?.eventName == "DeleteRepository")
        #expect(result.warnings.isEmpty, "\(result.warnings)")
    }

    @Test("cleanup before the build was finished earns nothing, and says when each happened")
    func cleanupBeforeTheBuild() async throws {
        let result = try await grade("cleaned-up-before-build-finished")
        for id in ["cleanup-cache-rule", "cleanup-repositories"] {
            let cleanup = try #require(step(result, id))
            #expect(cleanup.status == .failed)
            #expect(cleanup.message.en.contains("before the build was finished"), "\(cleanup.message.en)")
            #expect(cleanup.message.en.contains("2025-04-02T10:05:00Z"), "names when the build was finished: \(cleanup.message.en)")
        }
    }

    @Test("a repository re-created after cleanup fails cleanup, saying so with the times")
    func recreatedAfterCleanup() async throws {
        let result = try await grade("recreated-after-cleanup")
        let cleanup = try #require(step(result, "cleanup-repositories"))
        #expect(cleanup.status == .failed)
        #expect(cleanup.message.en.contains("re-created after its deletion"), "\(cleanup.message.en)")
        #expect(cleanup.message.en.contains("2025-04-02T11:00:00Z"), "\(cleanup.message.en)")
        #expect(step(result, "repo-nginx")?.source == .live)
        #expect(step(result, "image-nginx")?.source == .trail)
    }

    @Test("the rule's prefix from the trail must be the roster's")
    func rosterPrefix() async throws {
        let other = try await grade("cleaned-up-with-history", expectedCaptures: ["prefix": "public-ecr-1111"])
        let rule = try #require(step(other, "cache-rule"))
        #expect(rule.status == .failed)
        #expect(rule.message.en.contains("expected your assigned prefix public-ecr-1111"), "\(rule.message.en)")
        #expect(step(other, "cache-nginx")?.status == .skipped)
        let assigned = try await grade("cleaned-up-with-history", expectedCaptures: ["prefix": "public-ecr-9641173"])
        #expect(assigned.percentage == 100)
    }

    @Test("history denied: one warning naming cloudtrail:LookupEvents, live grading unchanged, no error step")
    func historyDenied() async throws {
        let credentials = Credentials(accessKeyId: "AKIADENIEDHISTORY001", secretAccessKey: "denied-history-secret", source: "test")
        var configuration = TestFakeECR.historyConfiguration()
        configuration.accounts = AccountsFile(accounts: [AccountsFile.Account(
            accountId: TestFakeECR.accountId, accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
            userName: "student", deniedActions: ["cloudtrail:LookupEvents"])])
        configuration.authMode = .sigv4
        let afterPush = try await grade("after-push", configuration: configuration, credentials: credentials)
        let expected = try await grade("after-push")
        #expect(afterPush.steps.map(\.status) == expected.steps.map(\.status))
        #expect(afterPush.warnings.map(\.code) == [.historyDenied])
        #expect(afterPush.warnings.first?.message.en.contains("cloudtrail:LookupEvents") == true)
        #expect(!afterPush.hasErrors)
        let cleanedUp = try await grade("cleaned-up-with-history", configuration: configuration, credentials: credentials)
        #expect(cleanedUp.earnedPoints == 0)
        #expect(cleanedUp.warnings.map(\.code) == [.historyDenied])
        #expect(!cleanedUp.hasErrors)
    }

    @Test("lookups faster than the fake allows are throttled, retried, and no point is lost")
    func throttledLookups() async throws {
        let result = try await grade("cleaned-up-with-history", configuration: TestFakeECR.historyConfiguration(lookupRate: 2), lookupRate: 40)
        #expect(result.percentage == 100, "\(result.steps.map { "\($0.id): \($0.message.en)" })")
        #expect(!result.hasErrors)
    }

    @Test("a build that shows live never reads the history")
    func liveBuildCostsNothingMore() async throws {
        let withHistory = try await grade("complete")
        let without = try await grade("complete", history: .some(nil))
        #expect(withHistory.apiCalls == without.apiCalls)
        #expect(withHistory.steps.allSatisfy { $0.source != .trail })
    }

    @Test("--since texts: durations and dates")
    func sinceTexts() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(HistoryWindow(parsing: "90d")?.start(now: now) == now.addingTimeInterval(-90 * 86_400))
        #expect(HistoryWindow(parsing: "36h")?.start(now: now) == now.addingTimeInterval(-36 * 3_600))
        #expect(HistoryWindow(parsing: "2025-04-01")?.start(now: now) == Date(timeIntervalSince1970: 1_743_465_600))
        #expect(HistoryWindow(parsing: "2025-04-01T09:00:00Z")?.start(now: now) == Date(timeIntervalSince1970: 1_743_498_000))
        #expect(HistoryWindow(parsing: "soon") == nil)
        #expect(HistoryWindow(parsing: "-3d") == nil)
    }
}
