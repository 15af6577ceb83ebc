import AWSCore
import Foundation

/// The answer of STS GetCallerIdentity.
public struct CallerIdentity: Sendable, Equatable, Codable {
    public var account: String
    public var arn: String
    public var userId: String

    public init(account: String, arn: String, userId: String) {
        self.account = account
        self.arn = arn
        self.userId = userId
    }
}

/// The answer of STS AssumeRole (credentials are kept out of `description`).
public struct AssumedRole: Sendable, Equatable {
    public var credentials: Credentials
    public var assumedRoleArn: String
    public var assumedRoleId: String

    public init(credentials: Credentials, assumedRoleArn: String, assumedRoleId: String) {
        self.credentials = credentials
        self.assumedRoleArn = assumedRoleArn
        self.assumedRoleId = assumedRoleId
    }
}
