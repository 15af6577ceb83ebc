import ECRWire
import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// What the fake writes in the trail: identities, refusals, accounts kept apart, delivery delay,
/// deniedActions, the state document and the data directory.
@Suite("CloudTrail records of the fake")
struct TrailRecordingTests {
    static let grader = "AKIAGRADER0000000001"
    static let student = "AKIASTUDENT000000001"
    static let accounts = AccountsFile(accounts: [
        .init(accountId: "111111111111", accessKeyId: grader, secretAccessKey: "grader-secret", userName: "grader"),
        .init(accountId: "222222222222", accessKeyId: student, secretAccessKey: "student-secret", userName: "student01",
              assumableRoles: [AssumableRole(arn: "arn:aws:iam::222222222222:role/LabCheckGrader", trustedAccounts: ["111111111111"])]),
    ])

    static func configuration(_ accounts: AccountsFile = TrailRecordingTests.accounts) -> FakeECRConfiguration {
        var configuration = FakeECRConfiguration(accounts: accounts, defaultRegion: TestFakeECR.region)
        configuration.trail.lookupRate = 0
        return configuration
    }

    @Test func assumedRoleSessionsAndAssumeRoleWithoutSecrets() async throws {
        try await TestFakeECR.with(Self.configuration()) { fake in
            let assumed = try await TrailAnswers.sts(
                fake, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FLabCheckGrader&RoleSessionName=grading&DurationSeconds=900",
                accessKey: Self.grader)
            #expect(assumed.status == 200, "\(assumed.text)")
            let key = try #require(try STSTests.value(assumed, "//*[local-name()='AccessKeyId']"))
            let secret = try #require(try STSTests.value(assumed, "//*[local-name()='SecretAccessKey']"))
            let token = try #require(try STSTests.value(assumed, "//*[local-name()='SessionToken']"))
            #expect(try await fake.ecr("DescribeRepositories", "{}", region: TestFakeECR.region, accessKey: key).status == 200)

            // AssumeRole is recorded in the role's account, as the grader's call, with no secret.
            let events = try await TrailAnswers.all(fake, TrailAnswers.attribute("EventName", "AssumeRole"), accessKey: Self.student)
            let event = try #require(events.first)
            let text = try #require(event["CloudTrailEvent"] as? String)
            #expect(!text.contains(secret) && !text.contains(token))
            let record = try TrailAnswers.record(event)
            #expect(record.eventSource == "sts.amazonaws.com")
            #expect(record.recipientAccountId == "222222222222")
            #expect(record.userIdentity.arn == "arn:aws:iam::111111111111:user/grader")
            #expect(record.userIdentity.type == "IAMUser")
            #expect(record.requestParameters?["roleArn"]?.stringValue == "arn:aws:iam::222222222222:role/LabCheckGrader")
            #expect(record.requestParameters?["roleSessionName"]?.stringValue == "grading")
            #expect(record.requestParameters?["durationSeconds"] == .number(900))
            #expect(record.responseElements?["credentials"]?["accessKeyId"]?.stringValue == key)
            #expect(record.responseElements?["credentials"]?["expiration"] != nil)
            #expect(record.responseElements?["credentials"]?["sessionToken"] == nil)
            #expect(record.responseElements?["assumedRoleUser"]?["arn"]?.stringValue == "arn:aws:sts::222222222222:assumed-role/LabCheckGrader/grading")
            #expect(!record.readOnly)
            // The grader's own account does not hold it.
            #expect(try await TrailAnswers.all(fake, TrailAnswers.attribute("EventName", "AssumeRole"), accessKey: Self.grader).isEmpty)

            // The session's call: AssumedRole with its session context.
            let described = try #require(try await TrailAnswers.all(fake, TrailAnswers.attribute("EventName", "DescribeRepositories"), accessKey: Self.student).first)
            #expect(described["Username"] as? String == "grading")
            #expect(described["AccessKeyId"] as? String == key)
            let identity = try TrailAnswers.record(described).userIdentity
            #expect(identity.type == "AssumedRole")
            #expect(identity.arn == "arn:aws:sts::222222222222:assumed-role/LabCheckGrader/grading")
            #expect(identity.accountId == "222222222222")
            #expect(identity.accessKeyId == key)
            #expect(identity.principalId?.hasSuffix(":grading") == true)
            let issuer = try #require(identity.sessionContext?.sessionIssuer)
            #expect(issuer.type == "Role")
            #expect(issuer.arn == "arn:aws:iam::222222222222:role/LabCheckGrader")
            #expect(issuer.userName == "LabCheckGrader")
            #expect(issuer.accountId == "222222222222")
            #expect(identity.principalId?.hasPrefix(issuer.principalId + ":") == true)
            #expect(identity.sessionContext?.attributes.mfaAuthenticated == "false")
            #expect(CloudTrailRecord.date(fromText: identity.sessionContext?.attributes.creationDate ?? "") != nil)
        }
    }

    @Test func accountsAreIsolated() async throws {
        try await TestFakeECR.with(Self.configuration()) { fake in
            #expect(try await fake.ecr("CreateRepository", #"{"repositoryName":"grader/tool"}"#, region: TestFakeECR.region, accessKey: Self.grader).status == 200)
            #expect(try await fake.ecr("CreateRepository", #"{"repositoryName":"student/app"}"#, region: TestFakeECR.region, accessKey: Self.student).status == 200)
            let graders = try await TrailAnswers.all(fake, accessKey: Self.grader)
            let students = try await TrailAnswers.all(fake, accessKey: Self.student)
            #expect(try graders.map { try TrailAnswers.record($0).recipientAccountId } == ["111111111111"])
            #expect(try students.map { try TrailAnswers.record($0).requestParameters?["repositoryName"]?.stringValue } == ["student/app"])
            // Another region of the same account is another history.
            #expect(TrailAnswers.events(try await fake.lookupEvents([:], region: "us-west-2", accessKey: Self.student)).isEmpty)
            let record = try TrailAnswers.record(try #require(students.first))
            #expect(record.userIdentity.type == "IAMUser")
            #expect(record.userIdentity.userName == "student01")
            #expect(record.userIdentity.arn == "arn:aws:iam::222222222222:user/student01")
            #expect(record.userIdentity.principalId?.hasPrefix("AIDA") == true)
            #expect(record.awsRegion == TestFakeECR.region)
            #expect(record.eventType == "AwsApiCall" && record.managementEvent && record.eventCategory == "Management")
            #expect(record.sourceIPAddress == "127.0.0.1")
            #expect(record.requestID.count == 36 && record.eventID.count == 36)
            #expect(record.resources == [.init(accountId: "222222222222", type: "AWS::ECR::Repository", arn: "arn:aws:ecr:ap-northeast-1:222222222222:repository/student/app")])
            #expect(record.responseElements?["repository"]?["repositoryName"]?.stringValue == "student/app")
        }
    }

    @Test func deniedActionsRefuseLookupEventsOnly() async throws {
        let accounts = AccountsFile(accounts: [
            .init(accountId: "111111111111", accessKeyId: Self.grader, secretAccessKey: "grader-secret", userName: "grader",
                  deniedActions: ["cloudtrail:LookupEvents"]),
        ])
        try await TestFakeECR.with(Self.configuration(accounts)) { fake in
            #expect(try await fake.ecr("CreateRepository", #"{"repositoryName":"app"}"#, region: TestFakeECR.region, accessKey: Self.grader).status == 200)
            let denied = try await fake.lookupEvents([:], accessKey: Self.grader)
            #expect(denied.status == 400)
            #expect(denied.errorType == "AccessDeniedException")
            #expect(denied.message == "User: arn:aws:iam::111111111111:user/grader is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action")
            #expect(await fake.server.trail(accountId: "111111111111", region: TestFakeECR.region).map(\.eventName) == ["CreateRepository"])
        }
        // The file's `deniedActions` is checked like the rest of it.
        #expect(throws: InputFileError.self) {
            try AccountsFile.parse(Data(#"{"accounts":[{"accountId":"111111111111","accessKeyId":"AKIAGRADER0000000001","secretAccessKey":"x","deniedActions":["LookupEvents"]}]}"#.utf8), file: "accounts.json")
        }
    }

    /// With `--auth sigv4`: an unknown key is no account's (no record anywhere); a `/v2/` refusal is
    /// recorded as the ECR action with its error, as the caller the registry password names.
    @Test func unauthenticatedCallsAreNotRecordedButRegistryRefusalsAre() async throws {
        var configuration = Self.configuration()
        configuration.authMode = .sigv4
        try await TestFakeECR.with(configuration) { fake in
            let stranger = SignedCaller(fake, key: "AKIAUNKNOWN000000000", secret: "nope")
            #expect(try await stranger.ecr("CreateRepository", ["repositoryName": "x"]).errorType == "UnrecognizedClientException")
            let student = SignedCaller(fake, key: Self.student, secret: "student-secret")
            let registry = try await student.registry()
            let missing = try await registry.send("GET", "/v2/nothing/here/manifests/latest")
            #expect(missing.status == 404)
            let records = await fake.server.trail(accountId: "222222222222", region: TestFakeECR.region)
            #expect(records.map(\.eventName) == ["GetAuthorizationToken", "BatchGetImage"])
            let pull = try #require(records.last)
            #expect(pull.errorCode == "RepositoryNotFoundException")
            #expect(pull.requestParameters?["repositoryName"]?.stringValue == "nothing/here")
            #expect(pull.requestParameters?["imageIds"] == .array([.object(["imageTag": .string("latest")])]))
            #expect(pull.userIdentity.userName == "student01" && pull.userIdentity.accessKeyId == Self.student)
            #expect(await fake.server.trail(accountId: "111111111111", region: TestFakeECR.region).isEmpty)
            #expect(await fake.server.exportState().registries.allSatisfy { $0.accountId == "222222222222" })
            // LookupEvents signed for `cloudtrail` with the right secret; a wrong one is refused.
            let lookup = try await student.lookupEvents()
            #expect(lookup.status == 200, "\(lookup.text)")
            #expect(TrailAnswers.events(lookup).compactMap { $0["EventName"] as? String } == ["BatchGetImage", "GetAuthorizationToken"])
            let forged = try await SignedCaller(fake, key: Self.student, secret: "wrong").lookupEvents()
            #expect(forged.errorType == "InvalidSignatureException")
        }
    }

    @Test func faultInjectionCoversLookupEvents() async throws {
        var configuration = Self.unlimited
        configuration.faults = FaultPlan(rules: [.init(plane: .cloudtrail, operations: ["LookupEvents"], fault: .serverError, rate: 1)])
        try await TestFakeECR.with(configuration) { fake in
            let answer = try await fake.lookupEvents()
            #expect(answer.status == 500)
            #expect(try await fake.ecr("DescribeRepositories", object: [:]).status == 200)
        }
    }

    @Test func trailDelayHidesFreshRecords() async throws {
        var configuration = TestFakeECR.configuration(trail: TrailConfiguration(delay: 300, lookupRate: 0))
        configuration.adminAPI = AdminAPIAccess()
        try await TestFakeECR.with(configuration) { fake in
            #expect(try await fake.ecr("CreateRepository", object: ["repositoryName": "app"]).status == 200)
            #expect(try await TrailAnswers.all(fake).isEmpty)
            let listing = try await fake.send("GET", "/_fake/trail?accountId=\(TestFakeECR.accountId)&region=\(TestFakeECR.region)")
            #expect(listing.status == 200)
            let registries = try #require(listing.json["registries"] as? [[String: Any]])
            #expect((registries.first?["trail"] as? [[String: Any]])?.first?["eventName"] as? String == "CreateRepository")
        }
    }

    @Test func stateDocumentRoundTripsTheTrail() async throws {
        var configuration = Self.unlimited
        configuration.adminAPI = AdminAPIAccess()
        try await TestFakeECR.with(configuration) { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            _ = try await fake.ecr("DescribeImages", object: ["repositoryName": "missing"])
            _ = try await fake.ecr("DeleteRepository", object: ["repositoryName": "app"])
            let before = try await TrailAnswers.all(fake)
            let state = try await fake.send("GET", "/_fake/state")
            #expect(state.status == 200)
            #expect(try await fake.send("POST", "/_fake/reset").status == 200)
            #expect(try await TrailAnswers.all(fake).isEmpty)
            let loaded = try await fake.send("PUT", "/_fake/state", body: state.body)
            #expect(loaded.status == 200, "\(loaded.text)")
            let after = try await TrailAnswers.all(fake)
            #expect(NSArray(array: after).isEqual(to: before))
            #expect(after.count == 3)
        }
    }

    /// Fixtures write records by hand: what they leave out is filled in, the same way every time.
    @Test func handWrittenRecordsAreCompletedDeterministically() async throws {
        let time = CloudTrailRecord.timeText(Date().addingTimeInterval(-3600))
        let text = """
            {"schemaVersion": 1, "registries": [{"accountId": "539666729110", "region": "ap-northeast-1", "trail": [
              {"eventTime": "\(time)", "eventName": "CreatePullThroughCacheRule",
               "userIdentity": {"type": "IAMUser", "userName": "student01", "arn": "arn:aws:iam::539666729110:user/student01"},
               "requestParameters": {"ecrRepositoryPrefix": "public-ecr-1", "upstreamRegistryUrl": "public.ecr.aws"}},
              {"eventTime": "\(time)", "eventName": "DescribeRepositories", "userIdentity": {"type": "IAMUser"}}
            ]}]}
            """
        let document = try StateDocument.parse(Data(text.utf8), file: "fixture.json")
        try await TestFakeECR.with(Self.unlimited) { fake in
            try await fake.server.loadState(document)
            let first = try await TrailAnswers.all(fake)
            try await fake.server.loadState(document)
            let second = try await TrailAnswers.all(fake)
            #expect(first.compactMap { $0["EventId"] as? String } == second.compactMap { $0["EventId"] as? String })
            let records = try first.map(TrailAnswers.record)
            #expect(records.map(\.eventName) == ["DescribeRepositories", "CreatePullThroughCacheRule"])
            #expect(records.map(\.readOnly) == [true, false])
            #expect(records.allSatisfy { $0.recipientAccountId == "539666729110" && $0.awsRegion == "ap-northeast-1" && $0.eventSource == "ecr.amazonaws.com" })
            #expect(Set(records.map(\.eventID)).count == 2)
            #expect(first.last?["Username"] as? String == "student01")
        }
        // Two records of one event id are refused; times are kept to the second, as CloudTrail writes them.
        let twice = text.replacingOccurrences(of: "\"eventName\": \"DescribeRepositories\"", with: "\"eventName\": \"DescribeRepositories\", \"eventID\": \"e1\"")
            .replacingOccurrences(of: "\"eventName\": \"CreatePullThroughCacheRule\"", with: "\"eventName\": \"CreatePullThroughCacheRule\", \"eventID\": \"e1\"")
        #expect {
            _ = try StateDocument.states(from: Data(twice.utf8), file: "fixture.json", defaults: RegistryKey(accountId: "539666729110", region: "ap-northeast-1"))
        } throws: { error in
            (error as? InputFileError)?.path == "$.registries[0].trail[1].eventID"
        }
        let fractional = text.replacingOccurrences(of: time, with: time.replacingOccurrences(of: "Z", with: ".123456Z"))
        let states = try StateDocument.states(from: Data(fractional.utf8), file: "fixture.json", defaults: RegistryKey(accountId: "539666729110", region: "ap-northeast-1"))
        let again = try StateDocument.states(from: try StateDocument(states: states).encoded(), file: "export.json", defaults: RegistryKey(accountId: "539666729110", region: "ap-northeast-1"))
        #expect(again == states)
        #expect(states.first?.trail.first.map { CloudTrailRecord.timeText($0.eventTime) } == time)
        // Unknown keys are refused with their path.
        let typo = text.replacingOccurrences(of: "\"eventName\": \"DescribeRepositories\"", with: "\"eventNam\": \"DescribeRepositories\"")
        #expect {
            _ = try StateDocument.states(from: Data(typo.utf8), file: "fixture.json", defaults: RegistryKey(accountId: "539666729110", region: "ap-northeast-1"))
        } throws: { error in
            (error as? InputFileError)?.path == "$.registries[0].trail[1].eventNam"
        }
    }

    /// At most `maxRecords` per account and region, none older than `maxAge`: the oldest go first, in memory and on disk.
    @Test func retentionBoundsTheHistory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trail-bounds-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = TestFakeECR.configuration(trail: TrailConfiguration(lookupRate: 0, retention: TrailRetention(maxAge: 3600, maxRecords: 3)))
        configuration.dataDirectory = directory
        let old = CloudTrailRecord.timeText(Date().addingTimeInterval(-7200))
        let seeded = try StateDocument.parse(Data(#"{"schemaVersion":1,"registries":[{"trail":[{"eventTime":"\#(old)","eventName":"CreateRepository","userIdentity":{"type":"IAMUser"}}]}]}"#.utf8), file: "old.json")
        try await TestFakeECR.with(configuration) { fake in
            try await fake.server.loadState(seeded)
            #expect(try await TrailAnswers.all(fake).isEmpty)
            for index in 1...5 { _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app\(index)"]) }
            let names = try await TrailAnswers.all(fake).map { try TrailAnswers.record($0).requestParameters?["repositoryName"]?.stringValue }
            #expect(names == ["app5", "app4", "app3"])
            #expect(await fake.server.trail(accountId: TestFakeECR.accountId, region: TestFakeECR.region).count == 3)
        }
        try await TestFakeECR.with(configuration) { fake in
            #expect(await fake.server.trail(accountId: TestFakeECR.accountId, region: TestFakeECR.region).map { $0.requestParameters?["repositoryName"]?.stringValue } == ["app3", "app4", "app5"])
        }
    }

    /// A full trail holds exactly `maxRecords`: each new record drops the oldest one, in memory and on
    /// disk (the trail is a deque: dropping moves none of the others).
    @Test func aFullHistoryDropsItsOldestRecordForEachNewOne() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trail-full-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = TestFakeECR.configuration(trail: TrailConfiguration(lookupRate: 0, retention: TrailRetention(maxRecords: 16)))
        configuration.dataDirectory = directory
        func names(_ fake: TestFakeECR) async -> [String?] {
            await fake.server.trail(accountId: TestFakeECR.accountId, region: TestFakeECR.region).map { $0.requestParameters?["repositoryName"]?.stringValue }
        }
        try await TestFakeECR.with(configuration) { fake in
            for index in 1...16 { _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app\(index)"]) }
            #expect(await names(fake) == (1...16).map { "app\($0)" })
            for index in 17...40 {
                _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app\(index)"])
                #expect(await names(fake) == ((index - 15)...index).map { "app\($0)" })
            }
        }
        try await TestFakeECR.with(configuration) { fake in
            #expect(await names(fake) == (25...40).map { "app\($0)" })
        }
    }

    @Test func recordsSurviveARestartWithADataDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trail-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = Self.unlimited
        configuration.dataDirectory = directory
        let before = try await TestFakeECR.with(configuration) { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            _ = try await fake.ecr("DescribeRepositories", object: [:])
            return try await TrailAnswers.all(fake).map(Self.summary)
        }
        #expect(before.count == 2)
        let after = try await TestFakeECR.with(configuration) { fake in try await TrailAnswers.all(fake).map(Self.summary) }
        #expect(after == before)
    }

    /// An event's id and record text, to compare answers.
    static func summary(_ event: [String: Any]) -> String {
        "\(event["EventId"] as? String ?? "") \(event["CloudTrailEvent"] as? String ?? "")"
    }

    static var unlimited: FakeECRConfiguration { TestFakeECR.configuration(trail: TrailConfiguration(lookupRate: 0)) }
}
