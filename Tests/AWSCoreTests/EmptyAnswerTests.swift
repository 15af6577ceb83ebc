import AsyncHTTPClient
import AWSCore
import ECRWire
import Foundation
import HTTPTypes
import Testing

/// Answers that are empty or do not have their operation's shape are typed errors: never a crash
/// (FoundationXML on an empty STS body) and never an empty list read as "nothing there".
@Suite("Empty and malformed answers")
struct EmptyAnswerTests {
    static let credentials = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    /// Runs `body` with ECR and STS clients (no retries) against a server answering `replies`.
    static func withClients(
        _ replies: [ScriptedServer.Reply], _ body: (ECRClient, STSClient, ScriptedServer) async throws -> Void
    ) async throws {
        let server = try await ScriptedServer.start(replies: replies)
        let http = AWSClient.makeHTTPClient()
        let aws = AWSClient(httpClient: http, credentialProvider: StaticCredentialProvider(Self.credentials), retryPolicy: .none)
        do {
            try await body(
                ECRClient(client: aws, endpoint: server.endpoint, region: "ap-northeast-1"),
                STSClient(client: aws, endpoint: server.endpoint, region: "ap-northeast-1"), server)
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
        await server.stop()
    }

    static func serviceError(_ call: () async throws -> Void) async -> AWSServiceError? {
        do {
            try await call()
            Issue.record("expected an AWSServiceError, the call succeeded")
        } catch let error as AWSServiceError {
            return error
        } catch {
            Issue.record("expected an AWSServiceError, got \(error)")
        }
        return nil
    }

    @Test("STS with an empty body: a typed error for every status, never a crash", arguments: [
        (HTTPResponse.Status.ok, "SerializationException", AWSErrorCategory.invalidResponse, "the body is empty"),
        (.forbidden, "HTTP403", .accessDenied, "HTTP 403 Forbidden with an empty body"),
        (.badRequest, "HTTP400", .client, "HTTP 400 Bad Request with an empty body"),
        (.internalServerError, "InternalFailure", .server, "HTTP 500 Internal Server Error with an empty body"),
        (.badGateway, "InternalFailure", .server, "HTTP 502 Bad Gateway with an empty body"),
    ])
    func stsEmptyBody(status: HTTPResponse.Status, code: String, category: AWSErrorCategory, fragment: String) async throws {
        try await Self.withClients([.init(status: status, headers: ["x-amzn-RequestId": "req-empty"], body: "")]) { _, sts, _ in
            let error = await Self.serviceError { _ = try await sts.getCallerIdentity() }
            #expect(error?.code == code)
            #expect(error?.category == category)
            #expect(error?.httpStatus == Int(status.code))
            #expect(error?.operation == "sts:GetCallerIdentity")
            #expect(error?.requestId == "req-empty")
            #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        }
    }

    @Test("STS answers that are blank, not XML or not the operation's shape", arguments: [
        ("  \n\t ", "the body is blank"),
        ("Bad Gateway", "is not XML"),
        // libxml2 recovers what it can of a cut document: what is missing is then named.
        ("<GetCallerIdentityResponse><unclosed>", "has no GetCallerIdentityResult Account and Arn"),
        ("<?xml version=\"1.0\"?>", "the XML document has no root element"),
        ("<html><body>proxy</body></html>", "has no GetCallerIdentityResult Account and Arn"),
    ])
    func stsMalformedOK(body: String, fragment: String) async throws {
        try await Self.withClients([.init(status: .ok, body: body)]) { _, sts, _ in
            let error = await Self.serviceError { _ = try await sts.getCallerIdentity() }
            #expect(error?.category == .invalidResponse)
            #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        }
    }

    @Test("XMLAnswer refuses empty and blank data with a ReadError")
    func xmlAnswerGuards() {
        for data in [Data(), Data("   ".utf8), Data("\n".utf8)] {
            #expect(throws: XMLAnswer.ReadError.self) { _ = try XMLAnswer(data: data) }
        }
        #expect(throws: XMLAnswer.ReadError.self) { _ = try XMLAnswer(data: Data("{}".utf8)) }
        #expect((try? XMLAnswer(data: Data("<a><b>x</b></a>".utf8)))?.text(at: ["b"]) == "x")
    }

    @Test("ECR JSON 1.1 with an empty body or a 5xx without one", arguments: [
        (HTTPResponse.Status.ok, "SerializationException", AWSErrorCategory.invalidResponse, "has an empty body; expected a JSON object"),
        (.badGateway, "InternalFailure", .server, "HTTP 502 Bad Gateway with an empty body"),
        (.forbidden, "HTTP403", .accessDenied, "HTTP 403 Forbidden with an empty body"),
    ])
    func ecrEmptyBody(status: HTTPResponse.Status, code: String, category: AWSErrorCategory, fragment: String) async throws {
        try await Self.withClients([.init(status: status, body: "")]) { ecr, _, _ in
            let error = await Self.serviceError { _ = try await ecr.describeRepositories(.init()) }
            #expect(error?.code == code)
            #expect(error?.category == category)
            #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        }
    }

    /// Each list call, and the member its answer must carry.
    static let listCalls: [(name: String, member: String, call: @Sendable (ECRClient) async throws -> Int)] = [
        ("DescribeRepositories", "repositories", { try await $0.allRepositories().count }),
        ("DescribeImages", "imageDetails", { try await $0.allImages(repositoryName: "nginx/nginx").count }),
        ("ListImages", "imageIds", { try await $0.allImageIds(repositoryName: "nginx/nginx").count }),
        ("DescribePullThroughCacheRules", "pullThroughCacheRules", { try await $0.allPullThroughCacheRules().count }),
    ]

    @Test("a list answer without its list member is an error naming the operation and the member, never an empty list",
          arguments: ["", "{}", #"{"nextToken":null}"#, #"{"somethingElse":[]}"#])
    func missingListMember(body: String) async throws {
        for call in Self.listCalls {
            try await Self.withClients([.init(status: .ok, body: body)]) { ecr, _, _ in
                let error = await Self.serviceError { _ = try await call.call(ecr) }
                #expect(error?.category == .invalidResponse, "\(call.name): \(String(describing: error))")
                #expect(error?.operation == "ecr:" + call.name)
                if !body.isEmpty {
                    #expect(error?.code == "InvalidResponse")
                    #expect(error?.message == "the answer to \(call.name) has no '\(call.member)' list; it does not have the shape of a \(call.name) answer")
                }
            }
        }
    }

    @Test("an empty list member is an empty list")
    func emptyListsAreFine() async throws {
        for call in Self.listCalls {
            try await Self.withClients([.init(status: .ok, body: #"{"\#(call.member)":[]}"#)]) { ecr, _, _ in
                let count = try await call.call(ecr)
                #expect(count == 0, "\(call.name)")
            }
        }
    }
}
