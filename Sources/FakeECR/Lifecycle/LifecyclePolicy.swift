import ECRWire
import Foundation

/// A repository's lifecycle policy, read and checked as ECR checks one
/// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html): rules
/// with a unique positive `rulePriority`, a `selection` (`tagStatus` tagged/untagged/any;
/// `tagPrefixList` or `tagPatternList` with tagged only, and required with it; `countType`
/// imageCountMoreThan, or sinceImagePushed with `countUnit` days; a positive `countNumber`) and an
/// `action` of type expire; a rule of tagStatus any must have the highest rulePriority. Errors are
/// ECR's "Lifecycle policy validation failure: …" messages.
struct LifecyclePolicy: Sendable, Equatable {
    enum TagStatus: String, Sendable { case tagged, untagged, any }
    enum CountType: String, Sendable { case imageCountMoreThan, sinceImagePushed }

    struct Rule: Sendable, Equatable {
        var priority: Int
        var description: String?
        var tagStatus: TagStatus
        var tagPrefixes: [String]
        var tagPatterns: [String]
        var countType: CountType
        var countNumber: Int
    }

    /// In ascending `rulePriority` (the order of evaluation).
    var rules: [Rule]

    /// The reason a policy is refused, worded as ECR words it (without the common prefix).
    struct Problem: Error, Equatable, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The policy of `text`, or the first problem ECR would report.
    init(text: String) throws(Problem) {
        guard case .object(let object)? = JSONValue(json: Data(text.utf8)) else {
            throw Problem("the policy must be a JSON object")
        }
        try Self.onlyKeys(object, ["rules"], at: "")
        guard let list = object["rules"]?.arrayValue else { throw Problem(#"object has missing required properties (["rules"])"#) }
        guard !list.isEmpty else { throw Problem("array is too short: must have at least 1 elements but instance has 0 elements (/rules)") }
        var rules: [Rule] = []
        for (index, entry) in list.enumerated() {
            guard case .object(let entry) = entry else { throw Problem("instance type is not allowed: expected object (/rules/\(index))") }
            rules.append(try Self.rule(entry, at: "/rules/\(index)"))
        }
        var seen = Set<Int>()
        for rule in rules where !seen.insert(rule.priority).inserted {
            throw Problem("The rulePriority \(rule.priority) is used by more than one rule: rule priorities must be unique")
        }
        rules.sort { $0.priority < $1.priority }
        if let any = rules.firstIndex(where: { $0.tagStatus == .any }), any != rules.count - 1 {
            throw Problem("The rule with tagStatus 'any' must have the highest rulePriority (it is evaluated last): rule \(rules[any].priority) does not")
        }
        self.rules = rules
    }

    private static func rule(_ object: [String: JSONValue], at path: String) throws(Problem) -> Rule {
        try onlyKeys(object, ["rulePriority", "description", "selection", "action"], at: path)
        let missing = ["rulePriority", "selection", "action"].filter { object[$0] == nil }
        if !missing.isEmpty { throw Problem("object has missing required properties ([\(missing.map { "\"\($0)\"" }.joined(separator: ","))]) (\(path))") }
        guard let priority = integer(object["rulePriority"]) else { throw Problem("instance type is not allowed: expected integer (\(path)/rulePriority)") }
        guard priority >= 1 else { throw Problem("numeric instance is lower than the required minimum (minimum: 1, found: \(priority)) (\(path)/rulePriority)") }
        guard case .object(let action)? = object["action"] else { throw Problem("instance type is not allowed: expected object (\(path)/action)") }
        try onlyKeys(action, ["type"], at: path + "/action")
        guard let type = action["type"]?.stringValue else { throw Problem(#"object has missing required properties (["type"]) (\#(path)/action)"#) }
        guard type == "expire" else { throw Problem(#"instance value ("\#(type)") not found in enum (possible values: ["expire"]) (\#(path)/action/type)"#) }
        guard case .object(let selection)? = object["selection"] else { throw Problem("instance type is not allowed: expected object (\(path)/selection)") }
        return try Self.selection(selection, priority: priority, description: object["description"]?.stringValue, at: path + "/selection")
    }

    private static func selection(_ object: [String: JSONValue], priority: Int, description: String?, at path: String) throws(Problem) -> Rule {
        try onlyKeys(object, ["tagStatus", "tagPrefixList", "tagPatternList", "countType", "countUnit", "countNumber"], at: path)
        let missing = ["tagStatus", "countType", "countNumber"].filter { object[$0] == nil }
        if !missing.isEmpty { throw Problem("object has missing required properties ([\(missing.map { "\"\($0)\"" }.joined(separator: ","))]) (\(path))") }
        let statusText = object["tagStatus"]?.stringValue ?? ""
        guard let status = TagStatus(rawValue: statusText) else {
            throw Problem(#"instance value ("\#(statusText)") not found in enum (possible values: ["tagged","untagged","any"]) (\#(path)/tagStatus)"#)
        }
        let prefixes = try strings(object["tagPrefixList"], at: path + "/tagPrefixList")
        let patterns = try strings(object["tagPatternList"], at: path + "/tagPatternList")
        switch status {
        case .tagged:
            if prefixes == nil, patterns == nil { throw Problem("tagPrefixList or tagPatternList is required when tagStatus is 'tagged' (rule \(priority))") }
            if prefixes != nil, patterns != nil { throw Problem("tagPrefixList and tagPatternList cannot both be given (rule \(priority))") }
        case .untagged, .any:
            if prefixes != nil || patterns != nil {
                throw Problem("tagPrefixList and tagPatternList can only be used with tagStatus 'tagged', not '\(status.rawValue)' (rule \(priority))")
            }
        }
        for pattern in patterns ?? [] where pattern.filter({ $0 == "*" }).count > 4 {
            throw Problem("The tag pattern '\(pattern)' has more than 4 wildcards (rule \(priority))")
        }
        let countText = object["countType"]?.stringValue ?? ""
        guard let countType = CountType(rawValue: countText) else {
            throw Problem(#"instance value ("\#(countText)") not found in enum (possible values: ["imageCountMoreThan","sinceImagePushed"]) (\#(path)/countType)"#)
        }
        let unit = object["countUnit"]
        switch countType {
        case .imageCountMoreThan:
            if unit != nil { throw Problem("countUnit cannot be used with countType 'imageCountMoreThan' (rule \(priority))") }
        case .sinceImagePushed:
            guard let unit = unit?.stringValue else { throw Problem("countUnit is required when countType is 'sinceImagePushed' (rule \(priority))") }
            guard unit == "days" else { throw Problem(#"instance value ("\#(unit)") not found in enum (possible values: ["days"]) (\#(path)/countUnit)"#) }
        }
        guard let count = integer(object["countNumber"]) else { throw Problem("instance type is not allowed: expected integer (\(path)/countNumber)") }
        guard count >= 1 else { throw Problem("numeric instance is lower than the required minimum (minimum: 1, found: \(count)) (\(path)/countNumber)") }
        return Rule(
            priority: priority, description: description, tagStatus: status, tagPrefixes: prefixes ?? [], tagPatterns: patterns ?? [],
            countType: countType, countNumber: count)
    }

    private static func onlyKeys(_ object: [String: JSONValue], _ allowed: [String], at path: String) throws(Problem) {
        let extra = object.keys.filter { !allowed.contains($0) }.sorted()
        if !extra.isEmpty {
            throw Problem("object instance has properties which are not allowed by the schema: [\(extra.map { "\"\($0)\"" }.joined(separator: ","))] (\(path.isEmpty ? "/" : path))")
        }
    }

    /// A whole JSON number.
    private static func integer(_ value: JSONValue?) -> Int? {
        guard case .number(let double)? = value, double.rounded() == double, abs(double) < 1e15 else { return nil }
        return Int(double)
    }

    /// A non-empty list of non-empty strings, or nil when absent.
    private static func strings(_ value: JSONValue?, at path: String) throws(Problem) -> [String]? {
        guard let value else { return nil }
        guard let list = value.arrayValue, !list.isEmpty else { throw Problem("array is too short: must have at least 1 elements (\(path))") }
        let texts = list.compactMap(\.stringValue).filter { !$0.isEmpty }
        guard texts.count == list.count else { throw Problem("instance type is not allowed: expected a non-empty string (\(path))") }
        return texts
    }
}
