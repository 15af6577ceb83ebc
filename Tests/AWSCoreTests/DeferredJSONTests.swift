import Foundation
import Testing

@testable import ECRWire

/// `DeferredJSON` (a record's `responseElements` kept as the answer's text) must be what the parsed
/// value would be in every way a record is used: compared, hashed, written and read back.
@Suite struct DeferredJSONTests {
    static let answer = #"{"repository":{"repositoryName":"lab/app","registryId":"111111111111","imageScanningConfiguration":{"scanOnPush":false},"createdAt":1764637323.5,"tags":[]}}"#

    static func record(_ elements: DeferredJSON?) -> CloudTrailRecord {
        CloudTrailRecord(
            userIdentity: .init(type: "Root", principalId: "111111111111", arn: "arn:aws:iam::111111111111:root", accountId: "111111111111"),
            eventTime: Date(timeIntervalSince1970: 1_764_637_323), eventSource: CloudTrailEventSource.ecr, eventName: "CreateRepository",
            awsRegion: "ap-northeast-2", sourceIPAddress: "127.0.0.1", userAgent: "aws-cli/2", requestParameters: .object(["repositoryName": .string("lab/app")]),
            responseElementsHeld: elements, requestID: "req-1", eventID: "evt-1", readOnly: false, recipientAccountId: "111111111111")
    }

    @Test("a text and its parsed value are equal, hash alike, and read the same members")
    func textEqualsValue() throws {
        let value = try #require(JSONValue(json: Data(Self.answer.utf8)))
        let text = DeferredJSON(text: Data(Self.answer.utf8))
        #expect(text == DeferredJSON(value))
        #expect(Set([text, DeferredJSON(value)]).count == 1)
        #expect(text.value["repository"]?["repositoryName"]?.stringValue == "lab/app")
        // Another text of the same value (members reordered, white space) is the same value.
        let reordered = DeferredJSON(text: Data(#" {"repository": {"tags": [], "createdAt": 1764637323.5, "registryId": "111111111111", "imageScanningConfiguration": {"scanOnPush": false}, "repositoryName": "lab/app"}} "#.utf8))
        #expect(reordered == text)
        #expect(reordered.hashValue == text.hashValue)
        #expect(DeferredJSON(text: Data(#"{"repository":{"repositoryName":"lab/other"}}"#.utf8)) != text)
        // What is no JSON reads as null, as documented (the fake only ever holds its encoder's output).
        #expect(DeferredJSON(text: Data("{".utf8)).value == .null)
    }

    @Test("a record holding the answer's text is written, read back and compared as one holding the parsed value")
    func recordWithTextIsRecordWithValue() throws {
        let value = try #require(JSONValue(json: Data(Self.answer.utf8)))
        let held = Self.record(DeferredJSON(text: Data(Self.answer.utf8)))
        let parsed = Self.record(DeferredJSON(value))
        #expect(held == parsed)
        #expect(held.responseElements == value)
        let text = try held.jsonText()
        #expect(text == (try parsed.jsonText()))
        #expect(text.contains(#""responseElements":{"repository":{"createdAt":1764637323.5,"#), "written under its CloudTrail name, as a value: \(text)")
        let read = try CloudTrailRecord(jsonText: text)
        #expect(read == held)
        #expect(read.responseElements?["repository"]?["imageScanningConfiguration"]?["scanOnPush"] == .bool(false))
        // The streaming encoder writes the same elements.
        #expect(JSONValue(json: try StreamingJSONEncoder.encode(held))?["responseElements"] == value)
        // No elements: no member at all, as CloudTrail writes a call without them.
        #expect(!(try Self.record(nil).jsonText()).contains("responseElements"))
    }

    @Test("setting responseElements replaces what is held; nil removes it")
    func settingElements() {
        var record = Self.record(DeferredJSON(text: Data(Self.answer.utf8)))
        record.responseElements = .object(["ecrRepositoryPrefix": .string("ecr-public")])
        #expect(record.responseElementsHeld == DeferredJSON(.object(["ecrRepositoryPrefix": .string("ecr-public")])))
        record.responseElements = nil
        #expect(record.responseElementsHeld == nil)
        #expect(record == Self.record(nil))
    }
}
