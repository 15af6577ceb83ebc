import AsyncHTTPClient
import AWSCore
import ECRWire
import Foundation
import HTTPTypes
import Hummingbird
import LabCheckTestSupport
import NIOCore
import Synchronization
import Testing

/// IAM's query-protocol wire: form parameters and XML answers as botocore writes and reads them, both directions
/// of `QueryCoding`, the global endpoint, and `IAMClient` against a loopback server.
@Suite("IAM wire")
struct IAMWireTests {
    static let simulation = SimulatePrincipalPolicyRequest(
        policySourceArn: "arn:aws:iam::111111111111:user/student", actionNames: ["ecr:PutImage", "ecr:GetAuthorizationToken"],
        resourceArns: ["arn:aws:ecr:ap-northeast-2:111111111111:repository/nginx/nginx"],
        contextEntries: [ContextEntry(contextKeyName: "aws:SourceIp", contextKeyValues: ["10.0.0.1"], contextKeyType: .ip)],
        maxItems: 5)

    static let simulated = SimulatePolicyResponse(evaluationResults: [
        EvaluationResult(
            evalActionName: "ecr:PutImage", evalResourceName: "arn:aws:ecr:ap-northeast-2:111111111111:repository/nginx/nginx",
            evalDecision: .implicitDeny, matchedStatements: [], missingContextValues: [],
            evalDecisionDetails: ["IAM Policy": .implicitDeny]),
        EvaluationResult(
            evalActionName: "ecr:GetAuthorizationToken", evalResourceName: "*", evalDecision: .allowed,
            matchedStatements: [Statement(sourcePolicyId: "pull", sourcePolicyType: .user,
                                          startPosition: Position(line: 1, column: 1), endPosition: Position(line: 1, column: 120))],
            missingContextValues: []),
    ], isTruncated: false)

    /// botocore's query serializer and parser, run on the installed model.
    static let botocoreScript = #"""
    import json, sys, botocore.session
    from botocore import serialize, parsers
    model = botocore.session.get_session().get_service_model("iam")
    mode, operation, payload = sys.argv[1], sys.argv[2], sys.argv[3]
    op = model.operation_model(operation)
    if mode == "serialize":
        body = serialize.create_serializer("query").serialize_to_request(json.loads(payload), op)["body"]
        print(json.dumps([[k, str(v)] for k, v in body.items()]))
    else:
        parsed = parsers.create_parser("query").parse({"body": payload.encode(), "headers": {}, "status_code": 200}, op.output_shape)
        parsed.pop("ResponseMetadata", None)
        print(json.dumps(parsed, sort_keys=True, default=str))
    """#

    static func botocore(_ mode: String, _ operation: String, _ payload: String) async throws -> String {
        let (status, output) = try await ExternalTool.run("python3", ["-c", botocoreScript, mode, operation, payload])
        #expect(status == 0, "\(output)")
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a request's form parameters are the ones botocore's query serializer writes")
    func formParametersAreBotocores() async throws {
        guard ExternalTool.enabled("boto3") else { return }
        try ExternalTool.require("boto3")
        let ours = try IAMClient.coding.parameters(Self.simulation, shape: "SimulatePrincipalPolicyRequest")
        let json = String(decoding: try JSONEncoder().encode(Self.simulation), as: UTF8.self)
        let theirs = try await Self.botocore("serialize", "SimulatePrincipalPolicy", json)
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(theirs.utf8)) as? [[String]])
        #expect(expected.first == ["Action", "SimulatePrincipalPolicy"])
        // Form parameters are a set: botocore writes them in its input's key order, we in the model's member order.
        #expect(ours.map { [$0.0, $0.1] }.sorted { $0.lexicographicallyPrecedes($1) } == Array(expected.dropFirst(2)).sorted { $0.lexicographicallyPrecedes($1) })
        #expect(ours.contains { $0 == ("ContextEntries.member.1.ContextKeyValues.member.1", "10.0.0.1") })
    }

    @Test("botocore's query parser reads the XML answer written from a shape")
    func botocoreReadsTheAnswer() async throws {
        guard ExternalTool.enabled("boto3") else { return }
        try ExternalTool.require("boto3")
        let operation = IAMOperation.simulatePrincipalPolicy
        let result = try IAMClient.coding.element(Self.simulated, shape: "SimulatePolicyResponse", named: operation.resultElement)
        let xml = QueryCoding.responseDocument(action: operation.rawValue, namespace: IAMService.xmlNamespace, result: result, requestId: "req-1")
        let parsed = try await Self.botocore("parse", operation.rawValue, String(decoding: xml, as: UTF8.self))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(parsed.utf8)) as? [String: Any])
        let results = try #require(object["EvaluationResults"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.first?["EvalDecision"] as? String == "implicitDeny")
        #expect((results.first?["EvalDecisionDetails"] as? [String: String]) == ["IAM Policy": "implicitDeny"])
        let statement = try #require((results.last?["MatchedStatements"] as? [[String: Any]])?.first)
        #expect(statement["SourcePolicyId"] as? String == "pull")
        #expect((statement["EndPosition"] as? [String: Int])?["Column"] == 120)
        #expect(object["IsTruncated"] as? Bool == false)
    }

    @Test("requests and answers read back what was written (the fake's side of the wire)")
    func roundTrips() throws {
        let coding = IAMClient.coding
        let parameters = Dictionary(uniqueKeysWithValues: try coding.parameters(Self.simulation, shape: "SimulatePrincipalPolicyRequest"))
        #expect(try coding.decodeRequest(SimulatePrincipalPolicyRequest.self, shape: "SimulatePrincipalPolicyRequest", parameters: parameters) == Self.simulation)

        let user = GetUserResponse(user: User(
            path: "/", userName: "student", userId: "AIDAEXAMPLE", arn: "arn:aws:iam::111111111111:user/student",
            createDate: Date(timeIntervalSince1970: 1_764_637_323), tags: [IAMTag(key: "class", value: "eks-01")]))
        let operation = IAMOperation.getUser
        let element = try coding.element(user, shape: "GetUserResponse", named: operation.resultElement)
        let xml = QueryCoding.responseDocument(action: operation.rawValue, namespace: IAMService.xmlNamespace, result: element, requestId: "r")
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains("<CreateDate>2025-12-02T01:02:03Z</CreateDate>"))
        #expect(text.contains("<Tags>") && text.contains("<member>"))
        let answer = try XMLAnswer(data: xml)
        #expect(try coding.decode(GetUserResponse.self, shape: "GetUserResponse", from: answer, resultElement: operation.resultElement) == user)
        #expect(answer.text(at: ["ResponseMetadata", "RequestId"]) == "r")
    }

    @Test("a request without a required member is refused in AWS's validation words")
    func missingRequiredMember() {
        let error = #expect(throws: QueryCodingError.self) {
            _ = try IAMClient.coding.decodeRequest(GetUserPolicyRequest.self, shape: "GetUserPolicyRequest", parameters: ["UserName": "s"])
        }
        #expect(error?.problem == "1 validation error detected: Value null at 'PolicyName' failed to satisfy constraint: Member must not be null")
        let badNumber = #expect(throws: QueryCodingError.self) {
            _ = try IAMClient.coding.decodeRequest(ListUsersRequest.self, shape: "ListUsersRequest", parameters: ["MaxItems": "many"])
        }
        #expect(badNumber?.problem == "MaxItems: expected an integer, found 'many'")
    }

    @Test("IAM's endpoint is global and signed for us-east-1, unless the user sets one (then the client's region, as botocore)")
    func globalEndpoint() throws {
        let config = AWSSharedConfig()
        let resolver = EndpointResolver(service: .iam, profileName: nil, environment: [:], config: config)
        let seoul = try resolver.resolve(region: "ap-northeast-2")
        #expect(seoul.url.absoluteString == "https://iam.amazonaws.com")
        #expect(seoul.signingRegion == "us-east-1")
        #expect(seoul.signingName == "iam")
        let beijing = try resolver.resolve(region: "cn-north-1")
        #expect(beijing.url.absoluteString == "https://iam.cn-north-1.amazonaws.com.cn")
        #expect(beijing.signingRegion == "cn-north-1")
        let set = try EndpointResolver(service: .iam, profileName: nil, environment: ["AWS_ENDPOINT_URL_IAM": "http://127.0.0.1:4566"], config: config)
            .resolve(region: "ap-northeast-2")
        #expect(set.url.absoluteString == "http://127.0.0.1:4566")
        #expect(set.signingRegion == "ap-northeast-2")
        #expect(set.source == "AWS_ENDPOINT_URL_IAM")
        #expect(EndpointService.iam.environmentVariable == "AWS_ENDPOINT_URL_IAM")
    }

    @Test("IAMClient signs for IAM, sends the form and follows SimulatePrincipalPolicy's pages; AccessDenied stays IAM's code")
    func clientAgainstLoopbackServer() async throws {
        let seen = Requests()
        let server = try await LoopbackServer.start { router in
            router.post("/") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                let form = formParameters(String(buffer: body))
                seen.list.withLock { $0.append((form, request.headers[.authorization] ?? "")) }
                if form["PolicySourceArn"] == "arn:aws:iam::111111111111:user/nobody" {
                    let xml = QueryCoding.errorDocument(
                        namespace: IAMService.xmlNamespace, type: "Sender", code: "AccessDenied",
                        message: "User: arn:aws:iam::111111111111:user/nobody is not authorized to perform: iam:SimulatePrincipalPolicy",
                        requestId: "denied-1")
                    return Response(status: .forbidden, body: .init(byteBuffer: ByteBuffer(bytes: xml)))
                }
                let page = form["Marker"] == nil
                    ? SimulatePolicyResponse(evaluationResults: [Self.simulated.evaluationResults?[0]].compactMap { $0 }, isTruncated: true, marker: "m2")
                    : SimulatePolicyResponse(evaluationResults: [Self.simulated.evaluationResults?[1]].compactMap { $0 }, isTruncated: false)
                let operation = IAMOperation.simulatePrincipalPolicy
                let result = try IAMClient.coding.element(page, shape: "SimulatePolicyResponse", named: operation.resultElement)
                let xml = QueryCoding.responseDocument(action: operation.rawValue, namespace: IAMService.xmlNamespace, result: result, requestId: "ok")
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: xml)))
            }
        }
        let http = AWSClient.makeHTTPClient()
        do {
            let credentials = Credentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", source: "test")
            let clients = AccountClients.fixed(credentials, endpoint: try #require(URL(string: server.baseURL)), region: "us-east-1", httpClient: http)
            let answer = try await clients.iam.simulatePrincipalPolicy(Self.simulation)
            #expect(answer.evaluationResults?.map(\.evalActionName) == ["ecr:PutImage", "ecr:GetAuthorizationToken"])
            #expect(answer.evaluationResults?.map(\.evalDecision) == [.implicitDeny, .allowed])
            #expect(answer.isTruncated == false)
            let requests = seen.list.withLock { $0 }
            #expect(requests.count == 2)
            #expect(requests.first?.form["Action"] == "SimulatePrincipalPolicy")
            #expect(requests.first?.form["Version"] == "2010-05-08")
            #expect(requests.first?.form["ActionNames.member.2"] == "ecr:GetAuthorizationToken")
            #expect(requests.last?.form["Marker"] == "m2")
            #expect(requests.first?.authorization.contains("/us-east-1/iam/aws4_request") == true)

            var denied = Self.simulation
            denied.policySourceArn = "arn:aws:iam::111111111111:user/nobody"
            let error = await #expect(throws: AWSServiceError.self) { _ = try await clients.iam.simulatePrincipalPolicy(denied) }
            #expect(error?.code == IAMErrorCode.accessDenied.rawValue)
            #expect(error?.httpStatus == 403)
            #expect(error?.operation == "iam:SimulatePrincipalPolicy")
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
        await server.stop()
    }
}

/// What the loopback server received, shared with its route.
private final class Requests: Sendable {
    let list = Mutex<[(form: [String: String], authorization: String)]>([])
}
