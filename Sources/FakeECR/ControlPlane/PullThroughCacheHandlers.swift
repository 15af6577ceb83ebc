import ECRWire
import Foundation

/// Create/Describe/Delete/Update/ValidatePullThroughCacheRule.
struct PullThroughCacheHandlers: Sendable {
    let store: RegistryStore

    private static func validatePrefix(_ prefix: String) throws {
        guard ECRValidation.isRepositoryPrefix(prefix) else {
            let constraint = ECRConstraints.ecrRepositoryPrefix
            throw ECRError.validation(
                prefix, "ecrRepositoryPrefix",
                "Member must satisfy regular expression pattern: \(constraint.pattern ?? "") and have length between \(constraint.min ?? 0) and \(constraint.max ?? 0)")
        }
    }

    private static func validateCredentialArn(_ arn: String?) throws {
        guard let arn else { return }
        guard ECRConstraints.credentialArn.accepts(arn) else {
            throw ECRError.validation(
                arn, "credentialArn", "Member must satisfy regular expression pattern: \(ECRConstraints.credentialArn.pattern ?? "")")
        }
    }

    func create(_ request: CreatePullThroughCacheRuleRequest, _ context: ECRRequestContext) async throws -> CreatePullThroughCacheRuleResponse {
        let key = try await context.registry(request.registryId)
        let prefix = request.ecrRepositoryPrefix
        try Self.validatePrefix(prefix)
        try Self.validateCredentialArn(request.credentialArn)
        if let upstreamPrefix = request.upstreamRepositoryPrefix, !ECRValidation.isRepositoryPrefix(upstreamPrefix) {
            throw ECRError.validation(
                upstreamPrefix, "upstreamRepositoryPrefix",
                "Member must satisfy regular expression pattern: \(ECRConstraints.upstreamRepositoryPrefix.pattern ?? "")")
        }
        let url = request.upstreamRegistryUrl
        guard let derived = UpstreamRegistryResolver.registry(for: url) else {
            throw ECRError(.unsupportedUpstreamRegistry, "The specified upstream registry '\(url)' is not supported. Specify a supported upstream registry and try again.")
        }
        if let given = request.upstreamRegistry, given != derived {
            throw ECRError(
                .unsupportedUpstreamRegistry,
                "The upstream registry '\(given.rawValue)' does not match the upstream registry URL '\(url)' (which is '\(derived.rawValue)').")
        }
        if UpstreamRegistryResolver.requiresCredential(derived), request.credentialArn == nil {
            throw ECRError(.unsupportedUpstreamRegistry, "The specified upstream registry requires authentication. Specify a valid Secrets Manager ARN")
        }
        if prefix == "ROOT" || request.upstreamRepositoryPrefix != nil || request.customRoleArn != nil, derived != .ecr {
            throw ECRError.invalidParameter(
                prefix == "ROOT" ? "ecrRepositoryPrefix" : (request.customRoleArn != nil ? "customRoleArn" : "upstreamRepositoryPrefix"),
                "'ROOT, upstreamRepositoryPrefix and customRoleArn are only supported for an Amazon ECR upstream registry'")
        }
        let now = context.now.wholeMilliseconds
        let rule = PullThroughCacheRuleRecord(
            ecrRepositoryPrefix: prefix, upstreamRegistryUrl: url, upstreamRegistry: derived, credentialArn: request.credentialArn,
            customRoleArn: request.customRoleArn, upstreamRepositoryPrefix: request.upstreamRepositoryPrefix, createdAt: now)
        try store.update(key) { state in
            if let clash = state.pullThroughCacheRules.keys.first(where: { UpstreamRegistryResolver.prefixesOverlap($0, prefix) }) {
                let detail = clash == prefix ? "" : " (it overlaps the existing prefix '\(clash)')"
                throw ECRError(
                    .pullThroughCacheRuleAlreadyExists,
                    "A pull through cache rule with the ECR repository prefix '\(prefix)' already exists in the registry with id '\(key.accountId)'\(detail)")
            }
            state.setRule(rule)
        }
        return CreatePullThroughCacheRuleResponse(
            ecrRepositoryPrefix: prefix, upstreamRegistryUrl: url, createdAt: now, registryId: key.accountId, upstreamRegistry: derived,
            credentialArn: request.credentialArn, customRoleArn: request.customRoleArn, upstreamRepositoryPrefix: request.upstreamRepositoryPrefix)
    }

    func describe(_ request: DescribePullThroughCacheRulesRequest, _ context: ECRRequestContext) async throws -> DescribePullThroughCacheRulesResponse {
        let key = try await context.registry(request.registryId)
        try ECRValidation.maxResults(request.maxResults)
        if let prefixes = request.ecrRepositoryPrefixes {
            try ECRValidation.length(prefixes.count, ECRConstraints.ecrRepositoryPrefixes, field: "ecrRepositoryPrefixes")
            for prefix in prefixes { try Self.validatePrefix(prefix) }
        }
        let rules = try store.read(key) { state -> [PullThroughCacheRule] in
            if let prefixes = request.ecrRepositoryPrefixes {
                return try prefixes.map { prefix in
                    guard let rule = state.pullThroughCacheRules[prefix] else { throw ECRError.ruleNotFound(prefix, key.accountId) }
                    return rule.wire(registryId: key.accountId)
                }
            }
            return state.sortedRules.map { $0.wire(registryId: key.accountId) }
        }
        let page = try Paging.page(rules, token: request.nextToken, maxResults: request.maxResults)
        return DescribePullThroughCacheRulesResponse(pullThroughCacheRules: Array(page.items), nextToken: page.nextToken)
    }

    func delete(_ request: DeletePullThroughCacheRuleRequest, _ context: ECRRequestContext) async throws -> DeletePullThroughCacheRuleResponse {
        let key = try await context.registry(request.registryId)
        let prefix = request.ecrRepositoryPrefix
        try Self.validatePrefix(prefix)
        let rule = try store.update(key) { state -> PullThroughCacheRuleRecord in
            guard let rule = state.removeRule(prefix) else { throw ECRError.ruleNotFound(prefix, key.accountId) }
            return rule
        }
        return DeletePullThroughCacheRuleResponse(
            ecrRepositoryPrefix: rule.ecrRepositoryPrefix, upstreamRegistryUrl: rule.upstreamRegistryUrl, createdAt: rule.createdAt,
            registryId: key.accountId, credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn,
            upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
    }

    func update(_ request: UpdatePullThroughCacheRuleRequest, _ context: ECRRequestContext) async throws -> UpdatePullThroughCacheRuleResponse {
        let key = try await context.registry(request.registryId)
        let prefix = request.ecrRepositoryPrefix
        try Self.validatePrefix(prefix)
        guard request.credentialArn != nil || request.customRoleArn != nil else {
            throw ECRError(.invalidParameter, "Invalid input: Please set either credential arn or role arn to update the credentials")
        }
        try Self.validateCredentialArn(request.credentialArn)
        let now = context.now.wholeMilliseconds
        let rule = try store.update(key) { state -> PullThroughCacheRuleRecord in
            guard var rule = state.pullThroughCacheRules[prefix] else { throw ECRError.ruleNotFound(prefix, key.accountId) }
            if let arn = request.credentialArn { rule.credentialArn = arn }
            if let role = request.customRoleArn { rule.customRoleArn = role }
            rule.updatedAt = now
            state.setRule(rule)
            return rule
        }
        return UpdatePullThroughCacheRuleResponse(
            ecrRepositoryPrefix: prefix, registryId: key.accountId, updatedAt: rule.updatedAt, credentialArn: rule.credentialArn,
            customRoleArn: rule.customRoleArn, upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix)
    }

    func validate(_ request: ValidatePullThroughCacheRuleRequest, _ context: ECRRequestContext) async throws -> ValidatePullThroughCacheRuleResponse {
        let key = try await context.registry(request.registryId)
        let prefix = request.ecrRepositoryPrefix
        try Self.validatePrefix(prefix)
        let rule = try store.read(key) { state -> PullThroughCacheRuleRecord in
            guard let rule = state.pullThroughCacheRules[prefix] else { throw ECRError.ruleNotFound(prefix, key.accountId) }
            return rule
        }
        let valid = !UpstreamRegistryResolver.requiresCredential(rule.upstreamRegistry) || rule.credentialArn != nil
        return ValidatePullThroughCacheRuleResponse(
            ecrRepositoryPrefix: prefix, registryId: key.accountId, upstreamRegistryUrl: rule.upstreamRegistryUrl,
            credentialArn: rule.credentialArn, customRoleArn: rule.customRoleArn, upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix,
            isValid: valid, failure: valid ? nil : "The upstream registry requires a credential")
    }
}
