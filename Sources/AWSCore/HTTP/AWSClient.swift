import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// Sends signed requests to AWS services over one shared `HTTPClient` (connections reused), with the
/// standard retry mode and timeouts. It knows nothing about any service's operations: the protocol
/// layers (`JSONProtocol`, `QueryProtocol`) build the requests and read the answers.
public final class AWSClient: Sendable {
    public let httpClient: HTTPClient
    public let credentialProvider: any CredentialProvider
    public let retryPolicy: RetryPolicy
    public let timeouts: AWSTimeouts
    public let userAgent: String
    let logger: Logger
    let sleep: @Sendable (TimeInterval) async throws -> Void
    private let counts = Mutex<[String: Int]>([:])

    /// The largest answer read into memory (ECR answers are JSON of at most a few MB).
    public static let maxResponseBytes = 32 << 20

    public init(
        httpClient: HTTPClient,
        credentialProvider: any CredentialProvider,
        retryPolicy: RetryPolicy = .standard,
        timeouts: AWSTimeouts = .standard,
        userAgent: String = "labcheck/1.0",
        logger: Logger = Logger(label: "labcheck.aws"),
        sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { seconds in
            try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
        }
    ) {
        self.httpClient = httpClient
        self.credentialProvider = credentialProvider
        self.retryPolicy = retryPolicy
        self.timeouts = timeouts
        self.userAgent = userAgent
        self.logger = logger
        self.sleep = sleep
    }

    /// An `HTTPClient` configured with these timeouts: create one per process and share it.
    /// `tlsConfiguration` replaces the default (the system's roots), e.g. to trust a CA made for a test run.
    public static func makeHTTPClient(timeouts: AWSTimeouts = .standard, tlsConfiguration: TLSConfiguration? = nil) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tlsConfiguration
        configuration.timeout = .init(connect: .milliseconds(Int64(timeouts.connect * 1000)), read: .milliseconds(Int64(timeouts.request * 1000)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        // Our retry policy retries failed connections (with backoff, counted as attempts); AHC's own
        // retrying would keep a refused connection pending until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .enabled(limit: .ratio(20))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// How many HTTP attempts were made per operation ("ecr:DescribeRepositories": 2), retries included.
    public var requestCounts: [String: Int] { counts.withLock { $0 } }
    /// All HTTP attempts made so far.
    public var totalRequests: Int { counts.withLock { $0.values.reduce(0, +) } }

    /// Signs and sends `request`, retrying per `retryPolicy`. `decodeError` turns a non-2xx answer into the
    /// service's error (so the retry policy can see throttling codes); 2xx answers are returned as they are.
    /// Errors never carry the request's secret key or session token, even when the service echoes them.
    public func send(
        _ request: AWSHTTPRequest,
        operation: String,
        service: AWSServiceConfig,
        decodeError: @Sendable (AWSHTTPResponse) -> AWSServiceError
    ) async throws -> AWSHTTPResponse {
        var attempt = 0
        while true {
            do {
                let credentials = try await credentialProvider.credentials()
                let redactor = SecretRedactor(credentials: credentials)
                let response: AWSHTTPResponse
                do {
                    response = try await sendOnce(request, operation: operation, service: service, credentials: credentials)
                } catch var error as AWSTransportError {
                    error.reason = redactor.redact(error.reason)
                    throw error
                }
                if (200..<300).contains(response.status) { return response }
                var error = decodeError(response).redacted(with: redactor)
                error.operation = operation
                throw error
            } catch {
                attempt += 1
                guard attempt < retryPolicy.maxAttempts, retryPolicy.isRetryable(error) else { throw error }
                let delay = retryPolicy.delay(beforeRetry: attempt - 1)
                logger.debug("retrying", metadata: ["operation": "\(operation)", "attempt": "\(attempt + 1)", "delay": "\(delay)", "error": "\(error)"])
                try await sleep(delay)
            }
        }
    }

    private func sendOnce(
        _ request: AWSHTTPRequest, operation: String, service: AWSServiceConfig, credentials: Credentials
    ) async throws -> AWSHTTPResponse {
        counts.withLock { $0[operation, default: 0] += 1 }
        var headers = request.headers
        headers.append(HTTPHeaderField(name: "Host", value: Self.hostHeader(for: request.url)))
        headers.append(HTTPHeaderField(name: "User-Agent", value: userAgent))
        let unsigned = SignableRequest(method: request.method, url: request.url, headers: headers, body: request.body)
        let signer = SigV4Signer(credentials: credentials, region: service.region, service: service.signingName)
        let signed = signer.sign(unsigned, date: Date())

        var httpRequest = HTTPClientRequest(url: request.url.absoluteString)
        httpRequest.method = HTTPMethod(rawValue: request.method)
        for field in signed.headers where field.name.lowercased() != "host" {
            httpRequest.headers.add(name: field.name, value: field.value)
        }
        httpRequest.headers.replaceOrAdd(name: "Host", value: Self.hostHeader(for: request.url))
        httpRequest.body = .bytes(ByteBuffer(bytes: request.body))

        let endpoint = Self.endpointDescription(request.url)
        do {
            let response = try await httpClient.execute(httpRequest, timeout: .milliseconds(Int64(timeouts.request * 1000)), logger: logger)
            let body = try await response.body.collect(upTo: Self.maxResponseBytes)
            let fields = response.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) }
            logger.trace("answer", metadata: ["operation": "\(operation)", "status": "\(response.status.code)"])
            return AWSHTTPResponse(status: Int(response.status.code), headers: fields, body: Data(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw AWSTransportError(kind: .timedOut, operation: operation, endpoint: endpoint, reason: "\(error)")
        } catch let error as NIOTooManyBytesError {
            throw AWSTransportError(kind: .responseTooLarge, operation: operation, endpoint: endpoint, reason: "\(error)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AWSTransportError(kind: .connectionFailed, operation: operation, endpoint: endpoint, reason: "\(error)")
        }
    }

    static func hostHeader(for url: URL) -> String {
        let host = url.host ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        guard let port = url.port else { return bracketed }
        let isDefault = (url.scheme == "https" && port == 443) || (url.scheme == "http" && port == 80)
        return isDefault ? bracketed : "\(bracketed):\(port)"
    }

    static func endpointDescription(_ url: URL) -> String {
        "\(url.scheme ?? "https")://\(hostHeader(for: url))"
    }
}
