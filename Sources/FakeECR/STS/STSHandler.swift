import Foundation
import Hummingbird

/// STS over the query protocol: GetCallerIdentity and AssumeRole.
struct STSHandler: Sendable {
    let directory: AccountDirectory

    /// The form parameters of a query-protocol request (body and query string).
    static func parameters(query: String?, body: ByteBuffer) -> [String: String] {
        var result: [String: String] = [:]
        for source in [query ?? "", String(decoding: body.readableBytesView, as: UTF8.self)] where !source.isEmpty {
            for pair in source.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = decode(parts[0]) else { continue }
                result[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
            }
        }
        return result
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Whether a request is an STS query call.
    static func isQueryRequest(query: String?, body: ByteBuffer, contentType: String?) -> Bool {
        if let query, query.hasPrefix("Action=") || query.contains("&Action=") { return true }
        guard contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false else { return false }
        let text = String(decoding: body.readableBytesView.prefix(4096), as: UTF8.self)
        return text.hasPrefix("Action=") || text.contains("&Action=")
    }

    func handle(action: String, parameters: [String: String], caller: Caller, requestId: String, now: Date) async throws(STSError) -> Data {
        switch action {
        case "GetCallerIdentity":
            return STSXML.response(action: action, result: [
                .text("Arn", caller.principal.arn), .text("UserId", caller.principal.userId), .text("Account", caller.principal.accountId),
            ], requestId: requestId)
        case "AssumeRole":
            guard let roleArnText = parameters["RoleArn"] else {
                throw .validation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
            }
            guard let sessionName = parameters["RoleSessionName"] else {
                throw .validation("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null")
            }
            guard (2...64).contains(sessionName.count),
                sessionName.allSatisfy({ $0.isLetter || $0.isNumber || "_+=,.@-".contains($0) }), sessionName.allSatisfy(\.isASCII)
            else {
                throw .validation(
                    "1 validation error detected: Value '\(sessionName)' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64")
            }
            guard let role = RoleArn(roleArnText) else {
                throw .validation("\(roleArnText) is invalid: expected a role ARN like arn:aws:iam::123456789012:role/RoleName")
            }
            var duration: TimeInterval = 3600
            if let text = parameters["DurationSeconds"] {
                guard let seconds = Int(text), (900...43200).contains(seconds) else {
                    throw .validation(
                        "1 validation error detected: Value '\(text)' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200")
                }
                duration = TimeInterval(seconds)
            }
            let issued: IssuedCredentials
            do {
                issued = try await directory.assumeRole(caller: caller.principal, role: role, sessionName: sessionName, duration: duration, now: now)
            } catch let error as STSError {
                throw error
            } catch {
                throw STSError(code: "InternalFailure", status: 500, message: "AssumeRole failed", type: "Receiver")
            }
            let formatter = ISO8601DateFormatter()
            return STSXML.response(action: action, result: [
                .element("Credentials", [
                    .text("AccessKeyId", issued.accessKeyId), .text("SecretAccessKey", issued.secretAccessKey),
                    .text("SessionToken", issued.sessionToken), .text("Expiration", formatter.string(from: issued.expiration)),
                ]),
                .element("AssumedRoleUser", [.text("AssumedRoleId", issued.assumedRoleId), .text("Arn", issued.assumedRoleArn)]),
            ], requestId: requestId)
        default:
            throw STSError(code: "InvalidAction", status: 400, message: "Could not find operation \(action) for version 2011-06-15")
        }
    }
}
