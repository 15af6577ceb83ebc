import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Why the EC2 instance metadata service gave nothing.
public enum IMDSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `AWS_EC2_METADATA_DISABLED=true`.
    case disabled
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the given endpoint) is not an http(s) URL.
    case invalidEndpoint(variable: String, value: String)
    /// Nothing answered (not on EC2, or a firewall): the endpoint and the last transport error.
    case unreachable(endpoint: String, detail: String)
    /// The service answered a path with an unexpected HTTP status.
    case httpStatus(path: String, status: Int)
    /// The service answered with an empty or unreadable body.
    case badResponse(path: String, detail: String)

    public var description: String {
        switch self {
        case .disabled: return "disabled by AWS_EC2_METADATA_DISABLED"
        case .invalidEndpoint(let variable, let value):
            return "\(variable): expected an http:// or https:// URL, found '\(value)'"
        case .unreachable(let endpoint, let detail): return "no instance metadata service at \(endpoint) (\(detail))"
        case .httpStatus(let path, let status): return "GET /\(path) answered HTTP \(status)"
        case .badResponse(let path, let detail): return "GET /\(path): \(detail)"
        }
    }
}

/// A small IMDSv2 client shared by the IMDS credential provider and the region resolver.
///
/// Like botocore: `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds: 21600`, then GETs with
/// `X-aws-ec2-metadata-token`; a token refused with 403/404/405 falls back to IMDSv1 (no token); each request
/// has a 1-second timeout; transport errors and 5xx answers are retried (`attempts` tries in all). The token is
/// cached for its lifetime and fetched again when a GET answers 401 (expired token).
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` overrides http://169.254.169.254; `AWS_EC2_METADATA_DISABLED=true` disables it.
public actor IMDSClient {
    public static let defaultEndpoint = "http://169.254.169.254"
    public static let tokenTTLSeconds = 21600

    public nonisolated let endpoint: String
    public nonisolated let isDisabled: Bool
    private let endpointError: IMDSError?
    private let httpClient: HTTPClient
    private let timeout: TimeAmount
    private let attempts: Int
    private let now: @Sendable () -> Date
    private var token: (value: String?, expires: Date)?
    /// Requests sent (for tests and diagnostics).
    public private(set) var requestCount = 0

    public init(
        httpClient: HTTPClient, environment: [String: String], endpoint: String? = nil,
        timeout: TimeAmount = .seconds(1), attempts: Int = 2, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.httpClient = httpClient
        self.isDisabled = (environment["AWS_EC2_METADATA_DISABLED"] ?? "false").lowercased() == "true"
        let variable = endpoint == nil ? "AWS_EC2_METADATA_SERVICE_ENDPOINT" : "IMDS endpoint"
        let chosen = endpoint ?? environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultEndpoint
        self.endpoint = chosen
        if let url = URL(string: chosen), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
           let host = url.host, !host.isEmpty {
            self.endpointError = nil
        } else {
            self.endpointError = .invalidEndpoint(variable: variable, value: chosen)
        }
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.now = now
    }

    /// The body of `GET /<path>` (path without a leading slash, e.g. "latest/meta-data/placement/region").
    public func get(_ path: String) async throws -> String {
        if isDisabled { throw IMDSError.disabled }
        if let endpointError { throw endpointError }
        var token = try await currentToken()
        var retriedToken = false
        while true {
            let response = try await send(method: .GET, path: path, headers: token.map { [("x-aws-ec2-metadata-token", $0)] } ?? [])
            switch response.status {
            case 200:
                guard let body = String(data: response.body, encoding: .utf8), !body.isEmpty else {
                    throw IMDSError.badResponse(path: path, detail: "empty or non-UTF-8 body")
                }
                return body
            case 401 where !retriedToken:
                // The token expired (or the service restarted): fetch a new one once.
                retriedToken = true
                self.token = nil
                token = try await currentToken()
            default:
                throw IMDSError.httpStatus(path: path, status: response.status)
            }
        }
    }

    private func currentToken() async throws -> String? {
        if let token, token.expires > now() { return token.value }
        let response = try await send(
            method: .PUT, path: "latest/api/token", headers: [("x-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTLSeconds))])
        switch response.status {
        case 200:
            guard let value = String(data: response.body, encoding: .utf8), !value.isEmpty else {
                throw IMDSError.badResponse(path: "latest/api/token", detail: "empty token")
            }
            // Keep a minute of margin on the token's lifetime.
            token = (value, now().addingTimeInterval(TimeInterval(Self.tokenTTLSeconds - 60)))
            return value
        case 403, 404, 405:
            return nil  // IMDSv2 unavailable: botocore falls back to IMDSv1
        default:
            throw IMDSError.httpStatus(path: "latest/api/token", status: response.status)
        }
    }

    private func send(method: HTTPMethod, path: String, headers: [(String, String)]) async throws -> (status: Int, body: Data) {
        let base = endpoint.hasSuffix("/") ? endpoint : endpoint + "/"
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        var lastError = "no answer"
        for _ in 0..<attempts {
            requestCount += 1
            do {
                let response = try await httpClient.execute(request, timeout: timeout)
                let body = try await response.body.collect(upTo: 1 << 20)
                let status = Int(response.status.code)
                if status >= 500 {
                    lastError = "HTTP \(status)"
                    continue
                }
                return (status, Data(body.readableBytesView))
            } catch {
                lastError = Self.describe(error)
            }
        }
        throw IMDSError.unreachable(endpoint: endpoint, detail: "\(method.rawValue) /\(path): \(lastError) after \(attempts) attempt(s)")
    }

    private static func describe(_ error: Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .connectTimeout || error == .readTimeout { return "timed out" }
            return "\(error)"
        }
        return String(describing: error)
    }
}
