import ECRWire
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// SimulatePrincipalPolicy and SimulateCustomPolicy: the engine that enforces (`PolicyEvaluation`)
/// answers for each action and resource, always as `--iam enforce` would decide.
extension IAMHandler.Call {
    func simulation() async throws(IAMAPIError) -> XMLElement? {
        let extra: [String]
        let actions: [String], resources: [String]?, resourcePolicy: String?, resourceOwner: String?, callerArn: String?, entries: [ContextEntry]?
        var source: String?
        if operation == .simulatePrincipalPolicy {
            let request: SimulatePrincipalPolicyRequest = try input()
            try await authorize(request.policySourceArn)
            source = request.policySourceArn
            (extra, actions, resources, resourcePolicy) = (request.policyInputList ?? [], request.actionNames, request.resourceArns, request.resourcePolicy)
            (resourceOwner, callerArn, entries) = (request.resourceOwner, request.callerArn, request.contextEntries)
        } else {
            let request: SimulateCustomPolicyRequest = try input()
            try await authorize("*")
            (extra, actions, resources, resourcePolicy) = (request.policyInputList, request.actionNames, request.resourceArns, request.resourcePolicy)
            (resourceOwner, callerArn, entries) = (request.resourceOwner, request.callerArn, request.contextEntries)
        }
        var identity: IdentityPolicies = .policies([])
        var subject = AccessPrincipal(accountId: account, arn: callerArn ?? source ?? caller.principal.arn)
        var userId: String?, tags: [String: String] = [:]
        if let source {
            guard let sourceAccount = source.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init),
                sourceAccount.count == 12
            else {
                throw IAMAPIError(.invalidInput, "Invalid ARN: \(source)")
            }
            let known = await directory.identity(of: AccessPrincipal(accountId: sourceAccount, arn: source), enforcing: true)
            guard known.exists else { throw IAMAPIError(.noSuchEntity, "PolicySourceArn \(source) does not exist.") }
            identity = known.policies
            userId = known.userId
            tags = known.tags
            subject.accountId = sourceAccount
        }
        var inputs: [NamedPolicy] = []
        for (index, text) in extra.enumerated() {
            do {
                inputs.append(NamedPolicy(id: "PolicyInputList.\(index + 1)", source: .none, document: try PolicyDocument(text: text, kind: .identity)))
            } catch {
                throw .malformed(error)
            }
        }
        if case .policies(let held) = identity { identity = .policies(held + inputs) }
        var resource: NamedPolicy?
        if let resourcePolicy {
            do {
                resource = NamedPolicy(id: "ResourcePolicy", source: .resource, document: try PolicyDocument(text: resourcePolicy, kind: .resource))
            } catch {
                throw .malformed(error)
            }
        }
        let owner = resourceOwner.flatMap { $0.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) } ?? subject.accountId
        var context = PolicyRequest.globalContext(
            principal: subject, userId: userId, principalTags: tags, region: nil, sourceIp: nil, secureTransport: handler.gate.secureTransport, now: now)
        for entry in entries ?? [] {
            if let name = entry.contextKeyName { context[name] = entry.contextKeyValues ?? [] }
        }
        var results: [EvaluationResult] = []
        for action in actions {
            for arn in resources ?? ["*"] {
                let request = PolicyRequest(principal: subject, action: action, resource: arn, context: context)
                let outcome = PolicyEvaluation.evaluate(request, identity: identity, resource: resource, resourceAccount: arn == "*" ? nil : owner)
                results.append(EvaluationResult(
                    evalActionName: action, evalResourceName: arn, evalDecision: PolicyEvaluationDecisionType(rawValue: outcome.decision.rawValue),
                    matchedStatements: outcome.matched.map { Statement(sourcePolicyId: $0.policy, sourcePolicyType: PolicySourceType(rawValue: $0.source.rawValue)) }))
            }
        }
        return try result(SimulatePolicyResponse(evaluationResults: results, isTruncated: false))
    }
}
