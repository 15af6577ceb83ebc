import Foundation

/// An HTTP request before signing, as the protocol layer builds it.
public struct AWSHTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: URL
    public var headers: [HTTPHeaderField]
    public var body: Data

    public init(method: String, url: URL, headers: [HTTPHeaderField] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An HTTP response, body fully read.
public struct AWSHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPHeaderField]
    public var body: Data

    public init(status: Int, headers: [HTTPHeaderField], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The request id AWS returned, from whichever header the service uses.
    public var requestId: String? {
        header("x-amzn-RequestId") ?? header("x-amz-request-id") ?? header("x-amz-id-2")
    }
}
