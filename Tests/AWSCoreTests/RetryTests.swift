import AsyncHTTPClient
import AWSCore
import ECRWire
import Foundation
import Synchronization
import Testing

/// The standard retry mode against loopback servers: throttling and 5xx are retried with backoff,
/// client errors never.
@Suite("Retries")
struct RetryTests {
    static let credentials = Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let throttled = ScriptedServer.Reply(
        status: .badRequest, headers: ["x-amzn-RequestId": "req-throttle", "Content-Type": "application/x-amz-json-1.1"],
        body: #"{"__type":"com.amazonaws.ecr#ThrottlingException","message":"Rate exceeded"}"#)
    static let answer = ScriptedServer.Reply(
        status: .ok, headers: ["Content-Type": "application/x-amz-json-1.1"],
        body: #"{"repositories":[{"repositoryName":"public.ecr.aws/nginx/nginx","registryId":"123456789012","createdAt":1743576547.0}]}"#)

    /// Records each backoff the client asks for, and really waits (briefly) so arrival gaps show it.
    final class SleepLog: Sendable {
        let delays = Mutex<[TimeInterval]>([])
        func sleep(_ seconds: TimeInterval) async throws {
            delays.withLock { $0.append(seconds) }
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
        }
    }

    func makeClient(_ server: ScriptedServer, http: HTTPClient, log: SleepLog, jitter: Double = 1) -> ECRClient {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 0.05, maxBackoff: 1, jitter: { jitter })
        let aws = AWSClient(httpClient: http, credentialProvider: StaticCredentialProvider(Self.credentials),
                            retryPolicy: policy, sleep: { try await log.sleep($0) })
        return ECRClient(client: aws, endpoint: server.endpoint, region: "ap-northeast-1")
    }

    @Test("throttled twice, then answered: 3 attempts with exponential backoff")
    func throttledTwiceThenAnswers() async throws {
        let server = try await ScriptedServer.start(replies: [Self.throttled, Self.throttled, Self.answer])
        let http = AWSClient.makeHTTPClient()
        let log = SleepLog()
        do {
            let ecr = makeClient(server, http: http, log: log)
            let answer = try await ecr.describeRepositories(.init())
            #expect(answer.repositories?.first?.repositoryName == "public.ecr.aws/nginx/nginx")
            #expect(server.requestCount == 3)
            // Full jitter with the random part pinned to 1: base * 2^n.
            #expect(log.delays.withLock { $0 } == [0.05, 0.1])
            let times = server.arrivalTimes
            #expect(times[1].timeIntervalSince(times[0]) >= 0.05)
            #expect(times[2].timeIntervalSince(times[1]) >= 0.1)
            #expect(ecr.json.client.requestCounts["ecr:DescribeRepositories"] == 3)
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
        await server.stop()
    }

    @Test("a 400 client error is not retried")
    func clientErrorIsNotRetried() async throws {
        let notFound = ScriptedServer.Reply(
            status: .badRequest, headers: ["x-amzn-RequestId": "req-404", "x-amzn-ErrorType": "RepositoryNotFoundException:http://internal.amazon.com/coral/com.amazonaws.ecr/"],
            body: #"{"__type":"RepositoryNotFoundException","message":"The repository with name 'x' does not exist in the registry with id '123456789012'"}"#)
        let server = try await ScriptedServer.start(replies: [notFound, Self.answer])
        let http = AWSClient.makeHTTPClient()
        let log = SleepLog()
        let ecr = makeClient(server, http: http, log: log)
        do {
            _ = try await ecr.describeRepositories(.init(repositoryNames: ["x"]))
            Issue.record("expected RepositoryNotFoundException")
        } catch let error as AWSServiceError {
            #expect(error.code == "RepositoryNotFoundException")
            #expect(error.httpStatus == 400)
            #expect(error.requestId == "req-404")
            #expect(error.operation == "ecr:DescribeRepositories")
            #expect(error.message.contains("does not exist"))
        }
        #expect(server.requestCount == 1)
        #expect(log.delays.withLock { $0 }.isEmpty)
        try await http.shutdown()
        await server.stop()
    }

    @Test("5xx answers are retried until attempts run out")
    func serverErrorsExhaustAttempts() async throws {
        let unavailable = ScriptedServer.Reply(status: .serviceUnavailable, body: #"{"__type":"ServerException","message":"try again"}"#)
        let server = try await ScriptedServer.start(replies: [unavailable])
        let http = AWSClient.makeHTTPClient()
        let log = SleepLog()
        let ecr = makeClient(server, http: http, log: log, jitter: 0)
        await #expect(throws: AWSServiceError.self) { _ = try await ecr.describeRepositories(.init()) }
        #expect(server.requestCount == 3)
        try await http.shutdown()
        await server.stop()
    }

    @Test("connection refused is retried and then reported as a transport error naming the endpoint")
    func connectionRefused() async throws {
        let http = AWSClient.makeHTTPClient()
        let log = SleepLog()
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 0.01, jitter: { 0 })
        let aws = AWSClient(httpClient: http, credentialProvider: StaticCredentialProvider(Self.credentials), retryPolicy: policy,
                            sleep: { try await log.sleep($0) })
        // Port 1 on loopback: nothing listens there.
        let ecr = ECRClient(client: aws, endpoint: URL(string: "http://127.0.0.1:1")!, region: "us-east-1")
        do {
            _ = try await ecr.describeRepositories(.init())
            Issue.record("expected a transport error")
        } catch let error as AWSTransportError {
            #expect(error.kind == .connectionFailed)
            #expect(error.description.contains("http://127.0.0.1:1"))
            #expect(!error.description.contains(Self.credentials.secretAccessKey))
        }
        #expect(aws.requestCounts["ecr:DescribeRepositories"] == 3)
        try await http.shutdown()
    }

    @Test("a slow answer is cut off by the request timeout and reported as a timeout")
    func requestTimeout() async throws {
        var slow = Self.answer
        // Far longer than the timeout, so that only the timeout can end the call early, whatever the load
        // (a loaded CI run has resumed the timed-out call 9.4 s late: its task waited for a pool thread).
        slow.delay = 20
        let server = try await ScriptedServer.start(replies: [slow])
        let timeouts = AWSTimeouts(connect: 1, request: 0.3)
        let http = AWSClient.makeHTTPClient(timeouts: timeouts)
        let aws = AWSClient(httpClient: http, credentialProvider: StaticCredentialProvider(Self.credentials), retryPolicy: .none, timeouts: timeouts)
        let ecr = ECRClient(client: aws, endpoint: server.endpoint, region: "us-east-1")
        let started = Date()
        do {
            _ = try await ecr.describeRepositories(.init())
            Issue.record("expected a timeout")
        } catch let error as AWSTransportError {
            #expect(error.kind == .timedOut, "\(error)")
            #expect(error.operation == "ecr:DescribeRepositories")
        }
        #expect(Date().timeIntervalSince(started) < 16, "cut off by the 0.3 s timeout, not by the server's 20 s answer")
        try await http.shutdown()
        await server.stop()
    }

    @Test("backoff is exponential with full jitter and capped")
    func backoffSchedule() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxBackoff: 20, jitter: { 1 })
        #expect((0..<6).map(policy.delay(beforeRetry:)) == [1, 2, 4, 8, 16, 20])
        let half = RetryPolicy(baseDelay: 1, jitter: { 0.5 })
        #expect(half.delay(beforeRetry: 2) == 2)
        #expect(policy.isRetryable(AWSServiceError(code: "ThrottlingException", message: "", httpStatus: 400)))
        #expect(policy.isRetryable(AWSServiceError(code: "TooManyRequestsException", message: "", httpStatus: 400)))
        #expect(policy.isRetryable(AWSServiceError(code: "RequestLimitExceeded", message: "", httpStatus: 400)))
        #expect(policy.isRetryable(AWSServiceError(code: "InternalFailure", message: "", httpStatus: 500)))
        #expect(!policy.isRetryable(AWSServiceError(code: "AccessDeniedException", message: "", httpStatus: 400)))
        #expect(!policy.isRetryable(AWSServiceError(code: "InvalidParameterException", message: "", httpStatus: 400)))
    }
}

@Suite("Retry settings as the AWS CLI reads them")
struct RetrySettingsTests {
    @Test("AWS_MAX_ATTEMPTS wins over the profile's max_attempts; standard mode's 3 without either; bad values name where they were set")
    func configured() throws {
        let config = try AWSSharedConfig.parse(config: "[default]\nmax_attempts = 6\n", configPath: "/home/u/.aws/config", credentials: nil, credentialsPath: nil)
        let profile = config.profile(named: "default")
        #expect(try RetryPolicy.configured(profile: nil, environment: [:]).maxAttempts == 3)
        #expect(try RetryPolicy.configured(profile: profile, environment: [:]).maxAttempts == 6)
        #expect(try RetryPolicy.configured(profile: profile, environment: ["AWS_MAX_ATTEMPTS": "9"]).maxAttempts == 9)
        #expect(throws: AWSConfigError.self) { try RetryPolicy.configured(profile: nil, environment: ["AWS_MAX_ATTEMPTS": "zero"]) }
        let bad = try AWSSharedConfig.parse(config: "[default]\nmax_attempts = 0\n", configPath: "/home/u/.aws/config", credentials: nil, credentialsPath: nil)
        do {
            _ = try RetryPolicy.configured(profile: bad.profile(named: "default"), environment: [:])
            Issue.record("max_attempts = 0 was accepted")
        } catch let error as AWSConfigError {
            #expect(error.description.contains("/home/u/.aws/config"), "\(error)")
            #expect(error.description.contains("max_attempts"), "\(error)")
        }
    }
}
