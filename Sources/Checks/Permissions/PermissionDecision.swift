import ECRWire
import Foundation

/// What IAM's policy simulator decided for one action on one resource.
public struct PermissionDecision: Sendable, Hashable, Codable {
    public var action: String
    public var resource: String
    /// `allowed`, `explicitDeny` or `implicitDeny` (`PolicyEvaluationDecisionType`).
    public var decision: String

    public init(action: String, resource: String, decision: String) {
        self.action = action
        self.resource = resource
        self.decision = decision
    }

    public var allowed: Bool { decision == PolicyEvaluationDecisionType.allowed.rawValue }

    /// "ecr:PutImage on arn:…:repository/nginx/nginx (no policy allows it)".
    public var words: LocalizedText {
        let target = resource == "*" ? "" : " on \(resource)"
        let targetKo = resource == "*" ? "" : " (\(resource))"
        switch decision {
        case PolicyEvaluationDecisionType.allowed.rawValue:
            return LocalizedText(ko: "\(action)\(targetKo) 허용", en: "\(action)\(target) allowed")
        case PolicyEvaluationDecisionType.explicitDeny.rawValue:
            return LocalizedText(ko: "\(action)\(targetKo): 명시적으로 거부됨 (Deny 문)", en: "\(action)\(target) (explicitly denied by a Deny statement)")
        default:
            return LocalizedText(ko: "\(action)\(targetKo): 허용하는 정책 없음", en: "\(action)\(target) (no policy allows it)")
        }
    }

    /// The decisions of a simulation's results: one per action and resource (a result's resource-specific
    /// results when it has them).
    static func of(_ results: [EvaluationResult]) -> [PermissionDecision] {
        results.flatMap { result -> [PermissionDecision] in
            if let specific = result.resourceSpecificResults, !specific.isEmpty {
                return specific.map {
                    PermissionDecision(action: result.evalActionName, resource: $0.evalResourceName, decision: $0.evalResourceDecision.rawValue)
                }
            }
            return [PermissionDecision(action: result.evalActionName, resource: result.evalResourceName ?? "*", decision: result.evalDecision.rawValue)]
        }
    }
}

/// Actions and resources with the variables filled in, ready for the simulator.
public struct RenderedGrant: Sendable, Hashable {
    public var actions: [String]
    public var resources: [String]

    public init(actions: [String], resources: [String]) {
        self.actions = actions
        self.resources = resources
    }
}

extension PermissionGrant {
    /// The grant with `variables` filled in; a variable without a value becomes `unknown` when given (the
    /// doctor's `*`), else the grant cannot be rendered yet (nil).
    public func render(_ variables: [String: String], unknown: String? = nil) -> RenderedGrant? {
        var resources: [String] = []
        for resource in self.resources {
            if let text = resource.render(variables) {
                resources.append(text)
            } else if let unknown {
                var filled = variables
                for name in resource.variables where filled[name] == nil { filled[name] = unknown }
                resources.append(resource.render(filled) ?? resource.raw)
            } else {
                return nil
            }
        }
        return RenderedGrant(actions: actions, resources: resources)
    }
}
