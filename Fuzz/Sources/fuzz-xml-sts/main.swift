import AWSCore
import ECRWire
import Foundation
import FuzzSupport

// The XML answer reader (FoundationXML) and what is read from it: STS GetCallerIdentity and AssumeRole
// answers, and query-protocol error answers. Any body gets an answer or a typed error, never a crash.
FuzzDriver.run { data in
    let response = AWSHTTPResponse(status: 403, headers: [HTTPHeaderField(name: "x-amzn-RequestId", value: "fuzz")], body: data)
    _ = QueryProtocol.decodeError(response).description
    let answer: XMLAnswer
    do {
        answer = try XMLAnswer(data: data)
    } catch is XMLAnswer.ReadError {
        return
    } catch {
        FuzzDriver.fail("XMLAnswer threw \(type(of: error)), not ReadError: \(error)")
    }
    _ = answer.rootName
    _ = answer.text(at: [])
    _ = answer.text(at: ["Error", "Code"])
    for decode in [
        { _ = try STSClient.callerIdentity(from: answer) },
        { _ = try STSClient.assumedRole(from: answer, roleArn: "arn:aws:iam::123456789012:role/LabCheckGrader") },
    ] {
        do {
            try decode()
        } catch is AWSServiceError {
        } catch {
            FuzzDriver.fail("STS decoding threw \(type(of: error)), not AWSServiceError: \(error)")
        }
    }
}
