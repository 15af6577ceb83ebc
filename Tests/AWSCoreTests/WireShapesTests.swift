import ECRWire
import Foundation
import LabCheckTestSupport
import Testing

/// The generated wire shapes match the installed botocore models, and CloudTrail's record document
/// reads back what it writes.
@Suite("Wire shapes")
struct WireShapesTests {
    @Test("the committed shapes are what scripts/generate-wire-shapes.py makes from botocore", arguments: [
        ("ecr", "Sources/ECRWire/ECR/ECRShapes.swift"),
        ("cloudtrail", "Sources/ECRWire/CloudTrail/CloudTrailShapes.swift"),
        ("iam", "Sources/ECRWire/IAM/IAMShapes.swift"),
    ])
    func generatedShapesAreCurrent(service: String, file: String) async throws {
        guard ExternalTool.enabled("boto3") else { return }
        try ExternalTool.require("boto3")
        let script = RepositoryFiles.root.appendingPathComponent("scripts/generate-wire-shapes.py").path
        let (status, output) = try await ExternalTool.run("python3", [script, service])
        #expect(status == 0, "\(output)")
        let committed = try String(contentsOf: RepositoryFiles.root.appendingPathComponent(file), encoding: .utf8)
        #expect(output == committed, "\(file) differs from the botocore model: run `python3 scripts/generate-wire-shapes.py \(service) > \(file)`")
    }

    @Test func lookupEventsRequestUsesCloudTrailsMemberNames() throws {
        let request = LookupEventsRequest(
            lookupAttributes: [LookupAttribute(attributeKey: .eventName, attributeValue: "PutImage")],
            startTime: Date(timeIntervalSince1970: 1_700_000_000), maxResults: 50)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(request)) as? [String: Any])
        #expect(Set(object.keys) == ["LookupAttributes", "StartTime", "MaxResults"])
        let attribute = try #require((object["LookupAttributes"] as? [[String: Any]])?.first)
        #expect(attribute["AttributeKey"] as? String == "EventName")
        #expect(CloudTrailClient.maxPageSize == 50)
        #expect(CloudTrailOperation.lookupEvents.target == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents")
    }

    @Test func recordTextRoundTripsWithCloudTrailsTimeFormat() throws {
        let time = Date(timeIntervalSince1970: 1_764_637_323)  // 2025-12-02T01:02:03Z
        let record = CloudTrailRecord(
            userIdentity: .init(type: "IAMUser", principalId: "AIDAEXAMPLE", arn: "arn:aws:iam::111111111111:user/s01",
                                accountId: "111111111111", accessKeyId: "AKIAEXAMPLE", userName: "s01"),
            eventTime: time, eventSource: CloudTrailEventSource.ecr, eventName: "PutImage", awsRegion: "ap-northeast-2",
            sourceIPAddress: "127.0.0.1", userAgent: "aws-cli/1.45",
            requestParameters: .object(["repositoryName": .string("app"), "imageTag": .string("v1"), "maxResults": .number(50)]),
            responseElements: nil, requestID: "req-1", eventID: "evt-1", readOnly: false,
            resources: [.init(accountId: "111111111111", type: "AWS::ECR::Repository", arn: "arn:aws:ecr:ap-northeast-2:111111111111:repository/app")],
            recipientAccountId: "111111111111")
        let text = try record.jsonText()
        #expect(text.contains(#""eventTime":"2025-12-02T01:02:03Z""#))
        #expect(text.contains(#""maxResults":50"#), "whole numbers stay integers: \(text)")
        #expect(text.contains(#""ARN":"arn:aws:ecr:ap-northeast-2:111111111111:repository/app""#))
        #expect(try CloudTrailRecord(jsonText: text) == record)
        #expect(record.requestParameters?["imageTag"]?.stringValue == "v1")
        #expect(CloudTrailRecord.date(fromText: "2025-12-02T01:02:03.250Z")?.timeIntervalSince1970 == 1_764_637_323.25)
        #expect(throws: (any Error).self) { try CloudTrailRecord(jsonText: #"{"eventTime":"yesterday"}"#) }
    }
}
