import ECRWire
import Foundation
import Hummingbird

/// STS over the query protocol: GetCallerIdentity and AssumeRole.
struct STSHandler: Sendable {
    typealias Element = STSWire.Element
    let directory: AccountDirectory
    let gate: AccessGate

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
        let marker = STSWire.Parameter.action + "="
        if let query, query.hasPrefix(marker) || query.contains("&" + marker) { return true }
        guard contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false else { return false }
        let text = String(decoding: body.readableBytesView.prefix(4096), as: UTF8.self)
        return text.hasPrefix(marker) || text.contains("&" + marker)
    }

    /// An answer: its XML, and for AssumeRole the credentials issued (for the trail, which logs their public parts).
    struct Answer: Sendable {
        var xml: Data
        var issued: IssuedCredentials?
    }

    func handle(
        action: String, parameters: [String: String], caller: Caller, requestId: String, now: Date, sourceIp: String? = nil
    ) async throws(STSError) -> Answer {
        switch STSWire.Action(rawValue: action) {
        case .getCallerIdentity:
            return Answer(xml: STSXML.response(action: .getCallerIdentity, result: [
                .text(Element.arn, caller.principal.arn), .text(Element.userId, caller.principal.userId),
                .text(Element.account, caller.principal.accountId),
            ], requestId: requestId))
        case .assumeRole:
            guard let roleArnText = parameters[STSWire.Parameter.roleArn] else {
                throw .validation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
            }
            guard let sessionName = parameters[STSWire.Parameter.roleSessionName] else {
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
            if let text = parameters[STSWire.Parameter.durationSeconds] {
                guard let seconds = Int(text), (900...43200).contains(seconds) else {
                    throw .validation(
                        "1 validation error detected: Value '\(text)' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200")
                }
                duration = TimeInterval(seconds)
            }
            do {
                try await gate.authorizeAssumeRole(caller.principal.access, role, region: caller.region, from: sourceIp)
            } catch {
                throw error.stsError
            }
            let issued = await directory.assumeRole(role: role, sessionName: sessionName, duration: duration, now: now)
            let formatter = ISO8601DateFormatter()
            return Answer(xml: STSXML.response(action: .assumeRole, result: [
                .element(Element.credentials, [
                    .text(Element.accessKeyId, issued.accessKeyId), .text(Element.secretAccessKey, issued.secretAccessKey),
                    .text(Element.sessionToken, issued.sessionToken), .text(Element.expiration, formatter.string(from: issued.expiration)),
                ]),
                .element(Element.assumedRoleUser, [.text(Element.assumedRoleId, issued.assumedRoleId), .text(Element.arn, issued.assumedRoleArn)]),
            ], requestId: requestId), issued: issued)
        case nil:
            throw STSError(code: "InvalidAction", status: 400, message: "Could not find operation \(action) for version \(STSWire.apiVersion)")
        }
    }
}
