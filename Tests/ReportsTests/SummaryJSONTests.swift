import Checks
import Foundation
import Testing

@testable import Reports

@Suite("summary.json")
struct SummaryJSONTests {
    private func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func roundTrip() throws {
        let result = Fixtures.sample()
        let data = try SummaryJSON.encode(result)
        let decoded = try SummaryJSON.decode(data)
        #expect(decoded == result)
        #expect(try SummaryJSON.encode(decoded) == data)
    }

    @Test func roundTripKeepsHostileTextAndNils() throws {
        var result = Fixtures.hostile()
        result.accountId = nil
        result.studentId = nil
        let decoded = try SummaryJSON.decode(try SummaryJSON.encode(result))
        #expect(decoded == result)
    }

    @Test func encodingIsStableForSubMillisecondDates() throws {
        var result = Fixtures.sample()
        result.startedAt = Date(timeIntervalSince1970: 1_735_787_045.123456)
        let once = try SummaryJSON.encode(result)
        let twice = try SummaryJSON.encode(try SummaryJSON.decode(once))
        #expect(once == twice)
        #expect(String(decoding: once, as: UTF8.self).contains("\"startedAt\" : \"2025-01-02T03:04:05.123Z\""))
    }

    @Test func documentShape() throws {
        let data = try SummaryJSON.encode(Fixtures.sample())
        let text = String(decoding: data, as: UTF8.self)
        let json = try object(data)
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(Set(json.keys) == [
            "schemaVersion", "lab", "accountId", "region", "studentId", "phase", "startedAt", "finishedAt",
            "durationSeconds", "apiCalls", "labcheckVersion", "score", "steps", "warnings", "policy",
        ])
        #expect(json["policy"] is NSNull, "no grading policy: written null")
        let lab = try #require(json["lab"] as? [String: Any])
        #expect(lab["id"] as? String == "ecr-lab")
        #expect((lab["title"] as? [String: String])?["ko"] == "ECR 실습")
        #expect(json["startedAt"] as? String == "2025-01-02T03:04:05.125Z")
        #expect(json["finishedAt"] as? String == "2025-01-02T03:04:07.500Z")
        #expect(json["durationSeconds"] as? Double == 2.375)
        #expect(json["apiCalls"] as? Int == 7)
        let score = try #require(json["score"] as? [String: Any])
        #expect(score["earned"] as? Int == 45)
        #expect(score["total"] as? Int == 100)
        #expect(score["percentage"] as? Double == 45)
        #expect(score["passed"] as? Int == 2)
        #expect(score["failed"] as? Int == 1)
        #expect(score["error"] as? Int == 1)
        #expect(score["skipped"] as? Int == 1)
        #expect(score["waived"] as? Int == 0)
        #expect(score["late"] as? Int == 0)
        #expect(score["partial"] as? Int == 0)
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.count == 5)
        #expect(Set(steps[0].keys) == [
            "id", "phase", "title", "status", "points", "earned", "message", "hint", "errorType", "evidence",
            "passedEarlier", "durationSeconds", "content", "source", "check", "conditions", "creditPerCondition", "policy",
        ])
        #expect(steps[0]["hint"] is NSNull)
        #expect(steps[2]["errorType"] as? String == "AccessDeniedException")
        #expect(steps[2]["status"] as? String == "error")
        let evidence = try #require(steps[4]["evidence"] as? [String: Any])
        #expect(evidence["firstPassedAt"] as? String == "2025-01-01T02:53:20Z")
        #expect((evidence["observed"] as? [String: String])?["ecrRepositoryPrefix"] == "public-ecr-9641173")
        #expect(steps[4]["passedEarlier"] as? Bool == true)
        // Pretty-printed with sorted keys: "accountId" comes before "apiCalls" before "durationSeconds".
        let accountAt = try #require(text.range(of: "\"accountId\""))
        let apiAt = try #require(text.range(of: "\"apiCalls\""))
        let stepsAt = try #require(text.range(of: "\"steps\""))
        #expect(accountAt.lowerBound < apiAt.lowerBound && apiAt.lowerBound < stepsAt.lowerBound)
        #expect(text.contains("\n  \"schemaVersion\" : 1"))
    }

    @Test func secretEvidenceIsRedacted() throws {
        var result = Fixtures.sample()
        result.steps[0].evidence?.observed["authorizationToken"] = "QVdTOnNlY3JldA=="
        result.steps[0].evidence?.observed["registryPassword"] = "hunter2"
        let text = String(decoding: try SummaryJSON.encode(result), as: UTF8.self)
        #expect(!text.contains("QVdTOnNlY3JldA=="))
        #expect(!text.contains("hunter2"))
        #expect(text.contains("[redacted]"))
        #expect(text.contains("public.ecr.aws/eks/aws-load-balancer-controller"))
    }

    @Test func wrongSchemaVersionIsAClearError() throws {
        var json = try object(try SummaryJSON.encode(Fixtures.sample()))
        json["schemaVersion"] = 2
        let data = try JSONSerialization.data(withJSONObject: json)
        let error = try #require(throws: ReportJSONError.self) { try SummaryJSON.decode(data, source: "alice/summary.json") }
        #expect(error == ReportJSONError(.summary, .unsupportedSchemaVersion(found: 2, supported: 1), source: "alice/summary.json"))
        #expect(error.description.contains("alice/summary.json"))
        #expect(error.description.contains("schemaVersion 2"))
        #expect(error.description.contains("upgrade labcheck"))
    }

    @Test func missingVersionAndBadFieldsNameTheProblem() throws {
        let noVersion = try #require(throws: ReportJSONError.self) { try SummaryJSON.decode(Data("{}".utf8)) }
        #expect(noVersion == ReportJSONError(.summary, .missingSchemaVersion, source: nil))

        let notJSON = try #require(throws: ReportJSONError.self) { try SummaryJSON.decode(Data("<xml/>".utf8), source: "x.json") }
        #expect(notJSON.description.contains("x.json is not a LabCheck summary.json"))

        var json = try object(try SummaryJSON.encode(Fixtures.sample()))
        var steps = try #require(json["steps"] as? [[String: Any]])
        steps[1]["status"] = "exploded"
        json["steps"] = steps
        let badStatus = try #require(throws: ReportJSONError.self) {
            try SummaryJSON.decode(try JSONSerialization.data(withJSONObject: json), source: "s.json")
        }
        #expect(badStatus.description.contains("steps[1].status"), "\(badStatus)")

        json["startedAt"] = "yesterday"
        steps[1]["status"] = "failed"
        json["steps"] = steps
        let badDate = try #require(throws: ReportJSONError.self) {
            try SummaryJSON.decode(try JSONSerialization.data(withJSONObject: json))
        }
        #expect(badDate.description.contains("startedAt"), "\(badDate)")
        #expect(badDate.description.contains("yesterday"), "\(badDate)")
    }

    @Test func readsFromFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("summary.json")
        try SummaryJSON.encode(Fixtures.sample()).write(to: url)
        #expect(try SummaryJSON.read(from: url) == Fixtures.sample())
        let missing = directory.appendingPathComponent("nope.json")
        let error = try #require(throws: ReportJSONError.self) { try SummaryJSON.read(from: missing) }
        #expect(error.description.contains("nope.json"))
    }

    @Test func datesParseWithZonesAndFractions() throws {
        #expect(ReportDates.parse("2025-01-02T03:04:05Z") == Date(timeIntervalSince1970: 1_735_787_045))
        #expect(ReportDates.parse("2025-01-02T03:04:05.5Z") == Date(timeIntervalSince1970: 1_735_787_045.5))
        #expect(ReportDates.parse("2025-01-02T12:04:05+09:00") == Date(timeIntervalSince1970: 1_735_787_045))
        #expect(ReportDates.parse("not a date") == nil)
        #expect(ReportDates.iso8601(Date(timeIntervalSince1970: 1_735_787_045.0004)) == "2025-01-02T03:04:05Z")
    }
}

@Suite("Redaction in every report")
struct ReportRedactionTests {
    static let token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue1234567890abcdefghijklmnopqrstuvwxyz"

    /// A result whose message, hint and evidence carry a session token as a hostile server might echo it.
    static func leaking() -> LabResult {
        var result = Fixtures.sample()
        result.steps[0].message = LocalizedText("the server said: X-Amz-Security-Token=\(token)")
        result.steps[0].hint = LocalizedText("Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/ap-northeast-1/ecr/aws4_request, SignedHeaders=host, Signature=\(String(repeating: "ab", count: 32))")
        result.steps[0].evidence = Evidence(firstPassedAt: result.startedAt, observed: ["sessionToken": token, "note": "x-amz-security-token: \(token)"])
        return result
    }

    @Test("no report format writes an echoed session token or signature", arguments: ReportFormat.allCases)
    func studentReports(format: ReportFormat) {
        let text = ReportWriter(language: .en, hostname: "h").render(Self.leaking(), format: format)
        #expect(!text.contains(Self.token), "\(format): \(text)")
        #expect(!text.contains(String(repeating: "ab", count: 32)), "\(format)")
    }

    @Test("no class report writes an echoed session token", arguments: ClassReportFormat.allCases)
    func classReports(format: ClassReportFormat) throws {
        var classResult = ClassFixtures.sample()
        classResult.students[0].result = Self.leaking()
        classResult.students[1].error = StudentError(.assumeRoleFailed, message: "denied; X-Amz-Security-Token: \(Self.token)")
        let text = String(decoding: try ClassReportWriter(language: .en, hostname: "h").data(classResult, format: format), as: UTF8.self)
        #expect(!text.contains(Self.token), "\(format)")
    }
}
