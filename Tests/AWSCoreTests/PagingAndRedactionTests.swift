import AsyncHTTPClient
import AWSCore
import ECRWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing

/// A server that pages forever cannot hang labcheck, and a server that echoes the request's secrets
/// cannot get them into an error (and from there into a report).
@Suite("Paging limits and secrets in service errors")
struct PagingAndRedactionTests {
    static let credentials = Credentials(
        accessKeyId: "ASIAEXAMPLE000000001", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "IQoJb3JpZ2luX2VjEXAMPLEsessionTOKENechoedBack//////////wEa==")

    final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
        var count: Int { value.withLock { $0 } }
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-amz-json-1.1"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func client(_ http: HTTPClient, _ server: LoopbackServer) throws -> ECRClient {
        let aws = AWSClient(httpClient: http, credentialProvider: StaticCredentialProvider(Self.credentials), retryPolicy: .none)
        return ECRClient(client: aws, endpoint: try #require(URL(string: server.baseURL)), region: "ap-northeast-1")
    }

    @Test("a new nextToken on every page stops after ECRClient.maxPages pages with an error naming the operation")
    func endlessPagingStops() async throws {
        let counter = Counter()
        let server = try await LoopbackServer.start { router in
            router.post("/") { _, _ -> Response in
                let page = counter.next()
                return Self.json(#"{"repositories":[],"nextToken":"token-\#(page)"}"#)
            }
        }
        let http = AWSClient.makeHTTPClient()
        do {
            let ecr = try Self.client(http, server)
            let error = await #expect(throws: AWSServiceError.self) { _ = try await ecr.allRepositories() }
            #expect(error?.code == "PaginationLoop")
            #expect(error?.category == .invalidResponse)
            #expect(error?.operation == "ecr:DescribeRepositories")
            #expect(error?.message == "ecr:DescribeRepositories: the service was still sending nextToken after 1000 pages (0 items); stopped there")
            #expect(counter.count == ECRClient.maxPages)
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
        await server.stop()
    }

    @Test("a repeated nextToken is still a loop, named with its operation")
    func repeatedTokenStops() async throws {
        let server = try await LoopbackServer.start { router in
            router.post("/") { _, _ -> Response in Self.json(#"{"imageIds":[{"imageTag":"a"}],"nextToken":"same"}"#) }
        }
        let http = AWSClient.makeHTTPClient()
        do {
            let ecr = try Self.client(http, server)
            let error = await #expect(throws: AWSServiceError.self) { _ = try await ecr.allImageIds(repositoryName: "r") }
            #expect(error?.message == "ecr:ListImages: the service returned the same nextToken twice (page 2)")
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
        await server.stop()
    }

    @Test("a service that echoes the session token, secret and Authorization gets none of them into the error")
    func echoedSecretsAreRedacted() async throws {
        let server = try await LoopbackServer.start { router in
            router.post("/") { request, _ -> Response in
                let token = request.headers[HTTPField.Name("X-Amz-Security-Token")!] ?? ""
                let authorization = request.headers[.authorization] ?? ""
                let message = "bad request; X-Amz-Security-Token=\(token)&x=1; Authorization: \(authorization)\\n"
                    + "secret \(Self.credentials.secretAccessKey) token \(token) \(String(repeating: "padding ", count: 600))"
                return Self.json(#"{"__type":"ValidationException","message":"\#(message)"}"#, status: .badRequest)
            }
        }
        let http = AWSClient.makeHTTPClient()
        do {
            let ecr = try Self.client(http, server)
            let error = await #expect(throws: AWSServiceError.self) { _ = try await ecr.describeRepositories(.init()) }
            let text = error.map { "\($0)" } ?? ""
            let token = try #require(Self.credentials.sessionToken)
            #expect(error?.code == "ValidationException")
            #expect(error?.category == .client)
            #expect(!text.contains(token), "\(text)")
            #expect(!text.contains(Self.credentials.secretAccessKey))
            #expect(!text.contains("Signature="))
            #expect(text.contains("X-Amz-Security-Token=<redacted>"))
            #expect(text.contains("Authorization: <redacted>"))
            #expect((error?.message.count ?? .max) <= SecretRedactor.defaultLimit + 40)
            #expect(error?.message.hasSuffix("more characters)") == true)
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
        await server.stop()
    }

    @Test("SecretRedactor: exact secrets and secret-looking values in every common form", arguments: [
        ("x-amz-security-token: abcdefgh12345678", "x-amz-security-token: <redacted>"),
        ("GET /?X-Amz-Security-Token=abc%2Fdef&X-Amz-Signature=0123abcd HTTP/1.1", "GET /?X-Amz-Security-Token=<redacted>&X-Amz-Signature=<redacted> HTTP/1.1"),
        (#"{"SecretAccessKey": "s3cr3t/value", "AccessKeyId": "AKIA1"}"#, #"{"SecretAccessKey": "<redacted>", "AccessKeyId": "AKIA1"}"#),
        ("<Credentials><SessionToken>tok/en==</SessionToken><AccessKeyId>ASIA</AccessKeyId></Credentials>",
         "<Credentials><SessionToken><redacted></SessionToken><AccessKeyId>ASIA</AccessKeyId></Credentials>"),
        ("Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20250101/us-east-1/ecr/aws4_request, Signature=ab12\nnext line",
         "Authorization: <redacted>\nnext line"),
        ("proxy said Basic QVdTOnBhc3N3b3Jk", "proxy said Basic <redacted>"),
        ("aws_secret_access_key = wJalrXUtnFEMI", "aws_secret_access_key = <redacted>"),
        ("The repository with name 'nginx' does not exist; nextToken=abc", "The repository with name 'nginx' does not exist; nextToken=abc"),
        ("User is not authorized to perform: ecr:GetAuthorizationToken", "User is not authorized to perform: ecr:GetAuthorizationToken"),
    ])
    func redactorPatterns(input: String, expected: String) {
        #expect(SecretRedactor.redact(input) == expected)
    }

    @Test("SecretRedactor removes the exact secrets it is given and caps length")
    func redactorSecretsAndCap() {
        let redactor = SecretRedactor(credentials: Self.credentials, limit: 50)
        let text = "echo \(Self.credentials.secretAccessKey) and \(Self.credentials.sessionToken ?? "") in plain words"
        let redacted = redactor.redact(text)
        #expect(!redacted.contains(Self.credentials.secretAccessKey))
        #expect(redacted.hasPrefix("echo <redacted> and <redacted> in plain words"))
        let long = redactor.redact(String(repeating: "x", count: 80))
        #expect(long == String(repeating: "x", count: 50) + "… (30 more characters)")
        // Short values are not searched for: they would eat ordinary words.
        #expect(SecretRedactor(secrets: ["abc"]).redact("abc def") == "abc def")
    }

    @Test("error categories: signature and token problems are authentication, not a missing permission", arguments: [
        ("InvalidSignatureException", 400, AWSErrorCategory.authentication),
        ("SignatureDoesNotMatch", 403, .authentication),
        ("UnrecognizedClientException", 400, .authentication),
        ("InvalidClientTokenId", 403, .authentication),
        ("ExpiredTokenException", 400, .authentication),
        ("ExpiredToken", 400, .authentication),
        ("IncompleteSignatureException", 400, .authentication),
        ("MissingAuthenticationTokenException", 403, .authentication),
        ("AccessDeniedException", 400, .accessDenied),
        ("AccessDenied", 403, .accessDenied),
        ("ThrottlingException", 400, .throttling),
        ("Throttling", 400, .throttling),
        ("HTTP429", 429, .throttling),
        ("ServerException", 500, .server),
        ("InternalFailure", 500, .server),
        ("ServiceUnavailable", 503, .server),
        ("SerializationException", 200, .invalidResponse),
        ("InvalidResponse", 200, .invalidResponse),
        ("SerializationException", 400, .client),
        ("RepositoryNotFoundException", 400, .client),
        ("InvalidParameterException", 400, .client),
    ])
    func categories(code: String, status: Int, category: AWSErrorCategory) {
        let error = AWSServiceError(code: code, message: "m", httpStatus: status)
        #expect(error.category == category)
        #expect(error.isAccessDenied == (category == .accessDenied))
        #expect(error.isAuthenticationFailure == (category == .authentication))
    }
}
