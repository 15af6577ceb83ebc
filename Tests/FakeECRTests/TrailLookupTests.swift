import ECRWire
import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// Helpers over LookupEvents answers (raw JSON 1.1, as the AWS CLI sees them).
enum TrailAnswers {
    static func events(_ answer: HTTPAnswer) -> [[String: Any]] { answer.json["Events"] as? [[String: Any]] ?? [] }

    /// The `CloudTrailEvent` document of an event.
    static func record(_ event: [String: Any]) throws -> CloudTrailRecord {
        try CloudTrailRecord(jsonText: try #require(event["CloudTrailEvent"] as? String))
    }

    /// Every event of a query, page by page; fails on an error answer.
    static func all(_ fake: TestFakeECR, _ query: [String: Any] = [:], pageSize: Int = 50, accessKey: String = "AKIAIOSFODNN7EXAMPLE") async throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        var token: String?
        repeat {
            var body = query
            body["MaxResults"] = pageSize
            if let token { body["NextToken"] = token }
            let answer = try await fake.lookupEvents(body, accessKey: accessKey)
            try #require(answer.status == 200, "LookupEvents: \(answer.text)")
            events += Self.events(answer)
            token = answer.json["NextToken"] as? String
        } while token != nil
        return events
    }

    /// An STS query call scoped (unsigned) to `accessKey` and the lab's region.
    static func sts(_ fake: TestFakeECR, _ form: String, accessKey: String = "AKIAIOSFODNN7EXAMPLE") async throws -> HTTPAnswer {
        try await fake.send("POST", "/", headers: [
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(accessKey)/20250101/\(TestFakeECR.region)/sts/aws4_request, SignedHeaders=host, Signature=00"),
        ], body: Data(form.utf8))
    }

    static func attribute(_ key: String, _ value: String) -> [String: Any] {
        ["LookupAttributes": [["AttributeKey": key, "AttributeValue": value]]]
    }
}

@Suite("CloudTrail LookupEvents of the fake")
struct TrailLookupTests {
    static var unlimited: FakeECRConfiguration { TestFakeECR.configuration(trail: TrailConfiguration(lookupRate: 0)) }

    @Test func pagingReturnsEveryEventOnceNewestFirst() async throws {
        try await TestFakeECR.with(Self.unlimited) { fake in
            for index in 1...7 {
                #expect(try await fake.ecr("CreateRepository", object: ["repositoryName": "lab/app\(index)"]).status == 200)
            }
            let events = try await TrailAnswers.all(fake, pageSize: 3)
            #expect(events.count == 7)
            #expect(Set(events.compactMap { $0["EventId"] as? String }).count == 7)
            let names = try events.map { try TrailAnswers.record($0).requestParameters?["repositoryName"]?.stringValue }
            #expect(names == (1...7).reversed().map { "lab/app\($0)" })
            let times = events.compactMap { $0["EventTime"] as? Double }
            #expect(times == times.sorted(by: >))
            // A page of 3 says there is more; the last page does not.
            let first = try await fake.lookupEvents(["MaxResults": 3])
            #expect(TrailAnswers.events(first).count == 3)
            #expect(first.json["NextToken"] is String)
        }
    }

    @Test func eachLookupAttributeFilters() async throws {
        try await TestFakeECR.with(Self.unlimited) { fake in
            let region = TestFakeECR.region
            #expect(try await fake.ecr("CreateRepository", object: ["repositoryName": "lab/app"], region: region).status == 200)
            #expect(try await fake.ecr("DescribeRepositories", object: ["repositoryNames": ["lab/app"]], region: region).status == 200)
            #expect(try await fake.ecr("DescribeImages", object: ["repositoryName": "lab/missing"], region: region).status == 400)
            #expect(try await TrailAnswers.sts(fake, "Action=GetCallerIdentity&Version=2011-06-15").status == 200)
            func names(_ key: String, _ value: String) async throws -> [String] {
                try await TrailAnswers.all(fake, TrailAnswers.attribute(key, value)).compactMap { $0["EventName"] as? String }
            }
            #expect(try await names("EventName", "CreateRepository") == ["CreateRepository"])
            #expect(try await names("ReadOnly", "false") == ["CreateRepository"])
            #expect(try await names("ReadOnly", "true") == ["GetCallerIdentity", "DescribeImages", "DescribeRepositories"])
            #expect(try await names("EventSource", "sts.amazonaws.com") == ["GetCallerIdentity"])
            #expect(try await names("EventSource", "ecr.amazonaws.com") == ["DescribeImages", "DescribeRepositories", "CreateRepository"])
            #expect(try await names("ResourceName", "lab/app") == ["CreateRepository"])
            #expect(try await names("ResourceName", "arn:aws:ecr:ap-northeast-1:539666729110:repository/lab/missing") == ["DescribeImages"])
            #expect(try await names("ResourceType", "AWS::ECR::Repository") == ["DescribeImages", "CreateRepository"])
            #expect(try await names("Username", "fake-ecr-user").count == 4)
            #expect(try await names("Username", "someone-else").isEmpty)
            #expect(try await names("AccessKeyId", "AKIAIOSFODNN7EXAMPLE").count == 4)
            let created = try #require(try await TrailAnswers.all(fake, TrailAnswers.attribute("EventName", "CreateRepository")).first)
            let id = try #require(created["EventId"] as? String)
            #expect(try await names("EventId", id) == ["CreateRepository"])
            // The event's own members.
            #expect(created["ReadOnly"] as? String == "false")
            #expect(created["AccessKeyId"] as? String == "AKIAIOSFODNN7EXAMPLE")
            #expect(created["Username"] as? String == "fake-ecr-user")
            #expect(created["EventSource"] as? String == "ecr.amazonaws.com")
            let resources = try #require(created["Resources"] as? [[String: Any]])
            #expect(resources.first?["ResourceType"] as? String == "AWS::ECR::Repository")
            #expect(resources.first?["ResourceName"] as? String == "lab/app")
            // The refused call carries its error.
            let refused = try #require(try await TrailAnswers.all(fake, TrailAnswers.attribute("EventName", "DescribeImages")).first)
            let record = try TrailAnswers.record(refused)
            #expect(record.errorCode == "RepositoryNotFoundException")
            #expect(record.errorMessage?.contains("lab/missing") == true)
            #expect(record.responseElements == nil)
        }
    }

    @Test func validationErrorsAsCloudTrailWordsThem() async throws {
        try await TestFakeECR.with(Self.unlimited) { fake in
            for index in 1...3 { _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "lab/app\(index)"]) }
            for bad in [0, 51] {
                let answer = try await fake.lookupEvents(["MaxResults": bad])
                #expect(answer.status == 400)
                #expect(answer.errorType == "InvalidMaxResultsException")
                #expect(answer.message == "A max results value of \(bad) is invalid. Specify max results between 1 and 50.")
            }
            let two = try await fake.lookupEvents(["LookupAttributes": [
                ["AttributeKey": "EventName", "AttributeValue": "CreateRepository"], ["AttributeKey": "ReadOnly", "AttributeValue": "false"],
            ]])
            #expect(two.errorType == "InvalidLookupAttributesException")
            let unknownKey = try await fake.lookupEvents(TrailAnswers.attribute("Colour", "blue"))
            #expect(unknownKey.errorType == "InvalidLookupAttributesException")
            let now = Date().timeIntervalSince1970
            let backwards = try await fake.lookupEvents(["StartTime": now, "EndTime": now - 3600])
            #expect(backwards.errorType == "InvalidTimeRangeException")
            let garbage = try await fake.lookupEvents(["NextToken": "not-a-token"])
            #expect(garbage.errorType == "InvalidNextTokenException")
            // A token is bound to its query: another attribute, or another window, refuses it.
            let page = try await fake.lookupEvents(["MaxResults": 1])
            let token = try #require(page.json["NextToken"] as? String)
            var other = TrailAnswers.attribute("EventName", "CreateRepository")
            other["NextToken"] = token
            #expect(try await fake.lookupEvents(other).errorType == "InvalidNextTokenException")
            #expect(try await fake.lookupEvents(["NextToken": token, "StartTime": now - 60]).errorType == "InvalidNextTokenException")
            #expect(try await fake.lookupEvents(["NextToken": token, "MaxResults": 2]).status == 200)
            // Insights: none recorded.
            let insights = try await fake.lookupEvents(["EventCategory": "insight"])
            #expect(insights.status == 200)
            #expect(TrailAnswers.events(insights).isEmpty)
            // The inclusive window.
            let window = try await fake.lookupEvents(["StartTime": now - 3600, "EndTime": now + 3600])
            #expect(TrailAnswers.events(window).count == 3)
            let before = try await fake.lookupEvents(["EndTime": now - 3600])
            #expect(TrailAnswers.events(before).isEmpty)
        }
    }

    /// Ten lookups at once from one account exceed 2 per second (a bucket of 2); another account has its own.
    @Test func throttlingAboveTwoPerSecondPerAccount() async throws {
        let accounts = AccountsFile(accounts: [
            .init(accountId: "111111111111", accessKeyId: "AKIASTUDENT000000001", secretAccessKey: "s1", userName: "student01"),
            .init(accountId: "222222222222", accessKeyId: "AKIASTUDENT000000002", secretAccessKey: "s2", userName: "student02"),
        ])
        try await TestFakeECR.with(FakeECRConfiguration(accounts: accounts)) { fake in
            let statuses = try await withThrowingTaskGroup(of: HTTPAnswer.self) { group in
                for _ in 0..<10 { group.addTask { try await fake.lookupEvents([:], accessKey: "AKIASTUDENT000000001") } }
                return try await group.reduce(into: [HTTPAnswer]()) { $0.append($1) }
            }
            let throttled = statuses.filter { $0.errorType == "ThrottlingException" }
            #expect(!throttled.isEmpty, "\(statuses.map(\.text))")
            #expect(throttled.allSatisfy { $0.status == 400 && $0.message == "Rate exceeded" })
            let other = try await fake.lookupEvents([:], accessKey: "AKIASTUDENT000000002")
            #expect(other.status == 200, "\(other.text)")
        }
    }
}
