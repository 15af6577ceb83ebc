import AWSCore
import Foundation

/// STS over the query protocol: who am I, and assume a role.
public struct STSClient: Sendable {
    public static let apiVersion = "2011-06-15"
    public let query: QueryProtocol

    public init(client: AWSClient, endpoint: URL, region: String) {
        let service = AWSServiceConfig(serviceId: "STS", signingName: "sts", endpoint: endpoint, region: region, apiVersion: Self.apiVersion)
        self.query = QueryProtocol(client: client, service: service)
    }

    /// The regional STS endpoint.
    public static func defaultEndpoint(region: String) -> URL? {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return URL(string: "https://sts.\(region).\(suffix)")
    }

    public func getCallerIdentity() async throws -> CallerIdentity {
        try Self.callerIdentity(from: try await query.call("GetCallerIdentity", parameters: []))
    }

    /// Reads a GetCallerIdentity answer; one without `Account` and `Arn` is an invalid response.
    public static func callerIdentity(from answer: XMLAnswer) throws -> CallerIdentity {
        guard let account = answer.text(at: ["GetCallerIdentityResult", "Account"]),
              let arn = answer.text(at: ["GetCallerIdentityResult", "Arn"]) else {
            throw AWSServiceError.invalidResponse(
                "the answer to GetCallerIdentity (<\(answer.rootName)>) has no GetCallerIdentityResult Account and Arn",
                operation: "sts:GetCallerIdentity")
        }
        return CallerIdentity(account: account, arn: arn, userId: answer.text(at: ["GetCallerIdentityResult", "UserId"]) ?? "")
    }

    public func assumeRole(roleArn: String, sessionName: String, externalId: String? = nil, durationSeconds: Int? = nil) async throws -> AssumedRole {
        var parameters = [("RoleArn", roleArn), ("RoleSessionName", sessionName)]
        if let externalId { parameters.append(("ExternalId", externalId)) }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        return try Self.assumedRole(from: try await query.call("AssumeRole", parameters: parameters), roleArn: roleArn)
    }

    /// Reads an AssumeRole answer for `roleArn`; one without an access key id and secret is an invalid response.
    public static func assumedRole(from answer: XMLAnswer, roleArn: String) throws -> AssumedRole {
        let result = ["AssumeRoleResult"]
        guard let keyId = answer.text(at: result + ["Credentials", "AccessKeyId"]),
              let secret = answer.text(at: result + ["Credentials", "SecretAccessKey"]) else {
            throw AWSServiceError.invalidResponse(
                "the answer to AssumeRole \(roleArn) (<\(answer.rootName)>) has no AssumeRoleResult Credentials AccessKeyId and SecretAccessKey",
                operation: "sts:AssumeRole")
        }
        let expiration = answer.text(at: result + ["Credentials", "Expiration"]).flatMap(Self.parseDate)
        let credentials = Credentials(
            accessKeyId: keyId, secretAccessKey: secret,
            sessionToken: answer.text(at: result + ["Credentials", "SessionToken"]),
            expiration: expiration, source: "sts:AssumeRole \(roleArn)")
        return AssumedRole(
            credentials: credentials,
            assumedRoleArn: answer.text(at: result + ["AssumedRoleUser", "Arn"]) ?? "",
            assumedRoleId: answer.text(at: result + ["AssumedRoleUser", "AssumedRoleId"]) ?? "")
    }

    static func parseDate(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return withFraction.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
