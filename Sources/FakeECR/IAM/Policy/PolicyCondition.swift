import ECRWire
import Foundation

/// One `Condition` test of a statement: `"StringLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/Lab*"]}`
/// is one condition per key. A statement's conditions all must hold (AND); a condition holds when
/// the request's value matches any of its values (OR), as IAM's condition operators document it.
struct PolicyCondition: Sendable, Equatable {
    /// IAM's condition operators, by the name a policy spells them.
    enum Operator: String, Sendable, CaseIterable {
        case stringEquals = "StringEquals", stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase", stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike", stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals", numericNotEquals = "NumericNotEquals", numericLessThan = "NumericLessThan"
        case numericLessThanEquals = "NumericLessThanEquals", numericGreaterThan = "NumericGreaterThan"
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals", dateNotEquals = "DateNotEquals", dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals", dateGreaterThan = "DateGreaterThan", dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool", binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress", notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals", arnLike = "ArnLike", arnNotEquals = "ArnNotEquals", arnNotLike = "ArnNotLike"
        case null = "Null"

        /// A negated operator holds when no value matches (and when the key is absent).
        var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals, .notIpAddress, .arnNotEquals,
                .arnNotLike:
                return true
            default: return false
            }
        }

        /// Values of string and ARN operators may hold policy variables (`${aws:username}`).
        var takesVariables: Bool {
            switch self {
            case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase, .stringLike, .stringNotLike, .arnEquals,
                .arnLike, .arnNotEquals, .arnNotLike:
                return true
            default: return false
            }
        }
    }

    /// `ForAnyValue:` and `ForAllValues:` compare a multivalued key value by value.
    enum SetQualifier: String, Sendable, Equatable { case forAnyValue = "ForAnyValue", forAllValues = "ForAllValues" }

    var qualifier: SetQualifier?
    var op: Operator
    /// `…IfExists`: holds when the request lacks the key.
    var ifExists: Bool
    var key: String
    var values: [String]

    /// Parses an operator name such as `ForAnyValue:StringNotLikeIfExists`; nil when IAM has no such operator.
    static func parseOperator(_ name: String) -> (SetQualifier?, Operator, ifExists: Bool)? {
        var rest = Substring(name)
        var qualifier: SetQualifier?
        if let colon = rest.firstIndex(of: ":") {
            guard let parsed = SetQualifier(rawValue: String(rest[..<colon])) else { return nil }
            qualifier = parsed
            rest = rest[rest.index(after: colon)...]
        }
        var ifExists = false
        if rest.hasSuffix("IfExists"), rest != "NullIfExists" {
            ifExists = true
            rest = rest.dropLast("IfExists".count)
        }
        guard let op = Operator(rawValue: String(rest)) else { return nil }
        return (qualifier, op, ifExists)
    }

    /// Whether the condition holds for `request`; `version` decides whether policy variables are expanded.
    func holds(for request: PolicyRequest, variables: Bool) -> Bool {
        let present = request.values(key).flatMap { $0.isEmpty && qualifier == nil ? nil : $0 }
        if op == .null {
            return values.contains { $0.lowercased() == "true" ? present == nil : present != nil }
        }
        guard let present else {
            if ifExists { return true }
            switch qualifier {
            case .forAllValues: return true
            case .forAnyValue: return false
            case nil: return op.isNegated
            }
        }
        let expected = variables && op.takesVariables ? values.compactMap { PolicyVariables.expand($0, in: request) } : values
        let matchesAny = { (actual: String) in expected.contains { Self.match(op, policy: $0, request: actual) } }
        switch (qualifier, op.isNegated) {
        case (nil, false), (.forAnyValue, false): return present.contains(where: matchesAny)
        case (nil, true): return !present.contains(where: matchesAny)
        case (.forAnyValue, true): return present.contains { !matchesAny($0) }
        case (.forAllValues, false): return present.allSatisfy(matchesAny)
        case (.forAllValues, true): return present.allSatisfy { !matchesAny($0) }
        }
    }

    /// The positive comparison behind `op` (`StringNotLike` compares as `StringLike`, then negates).
    static func match(_ op: Operator, policy: String, request: String) -> Bool {
        switch op {
        case .stringEquals, .stringNotEquals, .binaryEquals: return policy == request
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase: return policy.lowercased() == request.lowercased()
        case .stringLike, .stringNotLike: return PolicyPattern.matches(policy, request)
        case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike: return PolicyPattern.arn(policy, matches: request)
        case .bool: return policy.lowercased() == request.lowercased()
        case .null: return false
        case .ipAddress, .notIpAddress:
            guard let block = IPBlock(policy), let address = IPBlock(request) else { return false }
            return block.contains(address)
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            guard let p = Double(policy), let r = Double(request) else { return false }
            return compare(op, r, p)
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let p = date(policy), let r = date(request) else { return false }
            return compare(op, r.timeIntervalSince1970, p.timeIntervalSince1970)
        }
    }

    private static func compare(_ op: Operator, _ request: Double, _ policy: Double) -> Bool {
        switch op {
        case .numericLessThan, .dateLessThan: return request < policy
        case .numericLessThanEquals, .dateLessThanEquals: return request <= policy
        case .numericGreaterThan, .dateGreaterThan: return request > policy
        case .numericGreaterThanEquals, .dateGreaterThanEquals: return request >= policy
        default: return request == policy
        }
    }

    /// A date of a policy or a request: ISO 8601 (`2026-01-01`, `2026-01-01T00:00:00Z`, with fractions
    /// or an offset) or epoch seconds.
    static func date(_ text: String) -> Date? {
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// `aws:CurrentTime`'s form: `2026-01-01T00:00:00Z`, CloudTrail's (`ISO8601FormatStyle`: no ICU
    /// formatter made per call, as `ISO8601DateFormatter()` is on Linux).
    static func timeText(_ date: Date) -> String { CloudTrailRecord.timeText(date) }
}

/// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`) in `Resource`
/// and in the values of string and ARN conditions (policies of version 2012-10-17 only).
enum PolicyVariables {
    /// `text` with its variables replaced by the request's values; nil when a variable's key is
    /// missing and has no default (the value then matches nothing).
    static func expand(_ text: String, in request: PolicyRequest) -> String? {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                return result
            }
            let body = rest[start.upperBound..<end].trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: end)...]
            switch body {
            case "*", "?", "$": result += body
            default:
                let parts = body.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if let value = request.values(parts[0])?.first {
                    result += value
                } else if parts.count == 2, parts[1].count >= 2, parts[1].hasPrefix("'"), parts[1].hasSuffix("'") {
                    result += parts[1].dropFirst().dropLast()
                } else {
                    return nil
                }
            }
        }
        return result + rest
    }
}
