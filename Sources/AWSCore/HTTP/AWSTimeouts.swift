import Foundation

/// Time limits for one HTTP attempt.
public struct AWSTimeouts: Sendable, Equatable {
    /// Establishing the TCP (and TLS) connection.
    public var connect: TimeInterval
    /// The whole request, from sending to the last byte of the answer.
    public var request: TimeInterval

    public init(connect: TimeInterval = 5, request: TimeInterval = 30) {
        self.connect = connect
        self.request = request
    }

    public static let standard = AWSTimeouts()
}
