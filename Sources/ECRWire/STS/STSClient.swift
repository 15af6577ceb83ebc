import AWSCore
import Foundation

/// STS over the query protocol: who am I, and assume a role.
public struct STSClient: Sendable {
    public static let apiVersion = STSWire.apiVersion
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
        try Self.callerIdentity(from: try await query.call(STSWire.Action.getCallerIdentity.rawValue, parameters: []))
    }

    /// Reads a GetCallerIdentity answer; one without `Account` and `Arn` is an invalid response.
    public static func callerIdentity(from answer: XMLAnswer) throws -> CallerIdentity {
        let action = STSWire.Action.getCallerIdentity
        let result = [action.resultElement]
        guard let account = answer.text(at: result + [Element.account]), let arn = answer.text(at: result + [Element.arn]) else {
            throw AWSServiceError.invalidResponse(
                "the answer to GetCallerIdentity (<\(answer.rootName)>) has no \(action.resultElement) \(Element.account) and \(Element.arn)",
                operation: "sts:\(action.rawValue)")
        }
        return CallerIdentity(account: account, arn: arn, userId: answer.text(at: result + [Element.userId]) ?? "")
    }

    public func assumeRole(roleArn: String, sessionName: String, externalId: String? = nil, durationSeconds: Int? = nil) async throws -> AssumedRole {
        var parameters = [(STSWire.Parameter.roleArn, roleArn), (STSWire.Parameter.roleSessionName, sessionName)]
        if let externalId { parameters.append((STSWire.Parameter.externalId, externalId)) }
        if let durationSeconds { parameters.append((STSWire.Parameter.durationSeconds, String(durationSeconds))) }
        return try Self.assumedRole(from: try await query.call(STSWire.Action.assumeRole.rawValue, parameters: parameters), roleArn: roleArn)
    }

    /// Reads an AssumeRole answer for `roleArn`; one without an access key id and secret is an invalid response.
    public static func assumedRole(from answer: XMLAnswer, roleArn: String) throws -> AssumedRole {
        let action = STSWire.Action.assumeRole
        let credentials = [action.resultElement, Element.credentials]
        let user = [action.resultElement, Element.assumedRoleUser]
        guard let keyId = answer.text(at: credentials + [Element.accessKeyId]),
              let secret = answer.text(at: credentials + [Element.secretAccessKey]) else {
            throw AWSServiceError.invalidResponse(
                "the answer to AssumeRole \(roleArn) (<\(answer.rootName)>) has no \(action.resultElement) \(Element.credentials) \(Element.accessKeyId) and \(Element.secretAccessKey)",
                operation: "sts:\(action.rawValue)")
        }
        let expiration = answer.text(at: credentials + [Element.expiration]).flatMap(Self.parseDate)
        return AssumedRole(
            credentials: Credentials(
                accessKeyId: keyId, secretAccessKey: secret, sessionToken: answer.text(at: credentials + [Element.sessionToken]),
                expiration: expiration, source: "sts:AssumeRole \(roleArn)"),
            assumedRoleArn: answer.text(at: user + [Element.arn]) ?? "",
            assumedRoleId: answer.text(at: user + [Element.assumedRoleId]) ?? "")
    }

    private typealias Element = STSWire.Element

    static func parseDate(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return withFraction.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
