import ECRWire
import Foundation

/// Strict parsing of policy text, with IAM's `MalformedPolicyDocument` wording.
extension PolicyDocument {
    static let syntaxError = "Syntax errors in policy."

    /// The policy of `text`, checked as IAM checks a policy of `kind`.
    init(text: String, kind: Kind) throws(PolicyDocumentError) {
        guard case .object(let object)? = JSONValue(json: Data(text.utf8)) else {
            throw PolicyDocumentError(message: Self.syntaxError, element: "$")
        }
        if let unknown = object.keys.sorted().first(where: { !["Version", "Id", "Statement"].contains($0) }) {
            throw PolicyDocumentError(message: Self.syntaxError, element: unknown)
        }
        if let value = object["Version"] {
            guard let text = value.stringValue, Self.versions.contains(text) else {
                throw PolicyDocumentError(message: "The policy failed legacy parsing", element: "Version")
            }
            version = text
        } else {
            version = nil
        }
        if let value = object["Id"] {
            guard let text = value.stringValue else { throw PolicyDocumentError(message: Self.syntaxError, element: "Id") }
            id = text
        } else {
            id = nil
        }
        guard let statement = object["Statement"] else { throw PolicyDocumentError(message: Self.syntaxError, element: "Statement") }
        let list = statement.arrayValue ?? [statement]
        guard !list.isEmpty else { throw PolicyDocumentError(message: Self.syntaxError, element: "Statement") }
        var statements: [PolicyStatement] = []
        for (index, item) in list.enumerated() {
            let element = statement.arrayValue != nil ? "Statement[\(index)]" : "Statement"
            guard case .object(let member) = item else { throw PolicyDocumentError(message: Self.syntaxError, element: element) }
            statements.append(try PolicyStatement(member, kind: kind, element: element))
        }
        self.statements = statements
    }
}

extension PolicyStatement {
    static let members = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]

    init(_ object: [String: JSONValue], kind: PolicyDocument.Kind, element: String) throws(PolicyDocumentError) {
        func fail(_ message: String, _ member: String) -> PolicyDocumentError {
            PolicyDocumentError(message: message, element: "\(element).\(member)")
        }
        if let unknown = object.keys.sorted().first(where: { !Self.members.contains($0) }) { throw fail(PolicyDocument.syntaxError, unknown) }
        if let value = object["Sid"] {
            guard let text = value.stringValue, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw fail("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*", "Sid")
            }
            sid = text
        }
        guard let effectText = object["Effect"]?.stringValue, let effect = Effect(rawValue: effectText) else {
            throw fail(object["Effect"] == nil ? "Missing required field Effect" : PolicyDocument.syntaxError, "Effect")
        }
        self.effect = effect
        for both in [("Principal", "NotPrincipal"), ("Action", "NotAction"), ("Resource", "NotResource")]
        where object[both.0] != nil && object[both.1] != nil {
            throw fail(PolicyDocument.syntaxError, both.1)
        }
        switch kind {
        case .identity:
            if object["Principal"] != nil || object["NotPrincipal"] != nil {
                throw fail("Policy document should not specify a principal.", object["Principal"] != nil ? "Principal" : "NotPrincipal")
            }
        case .resource:
            if let value = object["Principal"] {
                principal = try Self.principals(value, fail: { fail($0, "Principal") })
            } else if let value = object["NotPrincipal"] {
                notPrincipal = try Self.principals(value, fail: { fail($0, "NotPrincipal") })
            } else {
                throw fail("Missing required field Principal", "Principal")
            }
        }
        if let value = object["Action"] {
            actions = .only(try Self.actionList(value, fail: { fail($0, "Action") }))
        } else if let value = object["NotAction"] {
            actions = .not(try Self.actionList(value, fail: { fail($0, "NotAction") }))
        } else {
            throw fail("Policy statement must contain actions.", "Action")
        }
        if let value = object["Resource"] {
            resources = .only(try Self.resourceList(value, fail: { fail($0, "Resource") }))
        } else if let value = object["NotResource"] {
            resources = .not(try Self.resourceList(value, fail: { fail($0, "NotResource") }))
        } else if kind == .identity {
            throw fail("Policy statement must contain resources.", "Resource")
        }
        if let value = object["Condition"] {
            conditions = try Self.conditions(value, fail: { fail($0, "Condition") })
        }
    }

    /// A string or a non-empty list of strings.
    static func strings(_ value: JSONValue, fail: (String) -> PolicyDocumentError) throws(PolicyDocumentError) -> [String] {
        if let text = value.stringValue { return [text] }
        guard let list = value.arrayValue, !list.isEmpty else { throw fail(PolicyDocument.syntaxError) }
        var result: [String] = []
        for item in list {
            guard let text = item.stringValue else { throw fail(PolicyDocument.syntaxError) }
            result.append(text)
        }
        return result
    }

    static func actionList(_ value: JSONValue, fail: (String) -> PolicyDocumentError) throws(PolicyDocumentError) -> [String] {
        let actions = try strings(value, fail: fail)
        for action in actions where action != "*" {
            let parts = action.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw fail(parts.count > 2 ? "Actions/Condition can contain only one colon." : "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
            }
            guard parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw fail("Vendor \(parts[0]) is not valid")
            }
        }
        return actions
    }

    static func resourceList(_ value: JSONValue, fail: (String) -> PolicyDocumentError) throws(PolicyDocumentError) -> [String] {
        let resources = try strings(value, fail: fail)
        for resource in resources where resource != "*" {
            guard resource.hasPrefix("arn:"), resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).count == 6 else {
                throw fail("Resource \(resource) must be in ARN format or \"*\".")
            }
        }
        return resources
    }

    static func principals(_ value: JSONValue, fail: (String) -> PolicyDocumentError) throws(PolicyDocumentError) -> Principals {
        if let text = value.stringValue {
            guard text == "*" else { throw fail("Invalid principal in policy: \(text)") }
            return Principals(everyone: true, aws: [], others: [])
        }
        guard case .object(let map) = value, !map.isEmpty else { throw fail(PolicyDocument.syntaxError) }
        var result = Principals(everyone: false, aws: [], others: [])
        for (type, entry) in map.sorted(by: { $0.key < $1.key }) {
            let values = try strings(entry, fail: fail)
            switch type {
            case "AWS":
                for principal in values {
                    if principal == "*" {
                        result.everyone = true
                    } else if principal.count == 12, principal.allSatisfy(\.isNumber) {
                        result.aws.append(principal)
                    } else if Self.isPrincipalArn(principal) {
                        result.aws.append(principal)
                    } else {
                        throw fail("Invalid principal in policy: \"AWS\":\"\(principal)\"")
                    }
                }
            case "Service", "Federated", "CanonicalUser": result.others += values
            default: throw fail("Invalid principal in policy: \"\(type)\"")
            }
        }
        return result
    }

    /// `arn:aws:iam::<account>:root|user/…|role/…` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`, no wildcards.
    static func isPrincipalArn(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[3].isEmpty, parts[4].count == 12,
            parts[4].allSatisfy(\.isNumber), !text.contains("*"), !text.contains("?")
        else { return false }
        if parts[2] == "iam" { return parts[5] == "root" || parts[5].hasPrefix("user/") || parts[5].hasPrefix("role/") }
        return parts[2] == "sts" && parts[5].hasPrefix("assumed-role/")
    }

    static func conditions(_ value: JSONValue, fail: (String) -> PolicyDocumentError) throws(PolicyDocumentError) -> [PolicyCondition] {
        guard case .object(let map) = value else { throw fail(PolicyDocument.syntaxError) }
        var result: [PolicyCondition] = []
        for (name, tests) in map.sorted(by: { $0.key < $1.key }) {
            guard let (qualifier, op, ifExists) = PolicyCondition.parseOperator(name) else { throw fail("Invalid Condition type : \(name)") }
            guard case .object(let keys) = tests, !keys.isEmpty else { throw fail(PolicyDocument.syntaxError) }
            for (key, entry) in keys.sorted(by: { $0.key < $1.key }) {
                guard key.split(separator: ":", omittingEmptySubsequences: false).count >= 2 else {
                    throw fail("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
                }
                var values: [String] = []
                for item in entry.arrayValue ?? [entry] {
                    switch item {
                    case .string(let text): values.append(text)
                    case .bool(let flag): values.append(flag ? "true" : "false")
                    case .number(let number):
                        values.append(number.rounded() == number && abs(number) < 9.0e15 ? String(Int64(number)) : String(number))
                    default: throw fail(PolicyDocument.syntaxError)
                    }
                }
                result.append(PolicyCondition(qualifier: qualifier, op: op, ifExists: ifExists, key: key, values: values))
            }
        }
        return result
    }
}
