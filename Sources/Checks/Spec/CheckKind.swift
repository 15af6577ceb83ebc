import Foundation

/// The closed set of assertions a step can make against ECR.
public enum CheckKind: Sendable, Hashable {
    /// A repository with this name exists.
    case repositoryExists(repository: Template)
    /// A repository holds this tag; optionally the image must be an upstream image's (`sameAs`), its
    /// digest one of a list, its manifest media type one of a list.
    case imageTagPresent(ImageTagCheck)
    /// A pull-through cache rule exists for this upstream with a prefix matching `prefixPattern`;
    /// the prefix is captured into the variable `capture`, if named.
    case pullThroughCacheRulePresent(upstream: UpstreamMatch, prefixPattern: PrefixPattern, capture: String?)
    /// None of these repositories exists.
    case repositoriesAbsent(repositories: [Template])
    /// No pull-through cache rule with this prefix exists.
    case pullThroughCacheRuleAbsent(prefix: Template)
    /// The caller (or a named principal) is allowed these actions on these resources (IAM's policy simulator).
    case permissionsGranted(PermissionCheck)

    /// The names of the kinds as written in a spec.
    public static let names = [
        "repositoryExists", "imageTagPresent", "pullThroughCacheRulePresent", "repositoriesAbsent", "pullThroughCacheRuleAbsent",
        "permissionsGranted",
    ]

    public var name: String {
        switch self {
        case .repositoryExists: "repositoryExists"
        case .imageTagPresent: "imageTagPresent"
        case .pullThroughCacheRulePresent: "pullThroughCacheRulePresent"
        case .repositoriesAbsent: "repositoriesAbsent"
        case .pullThroughCacheRuleAbsent: "pullThroughCacheRuleAbsent"
        case .permissionsGranted: "permissionsGranted"
        }
    }

    /// Every template the check uses.
    public var templates: [Template] {
        switch self {
        case .repositoryExists(let repository): [repository]
        case .imageTagPresent(let check): [check.repository, check.tag]
        case .pullThroughCacheRulePresent: []
        case .repositoriesAbsent(let repositories): repositories
        case .pullThroughCacheRuleAbsent(let prefix): [prefix]
        case .permissionsGranted(let check): check.templates
        }
    }

    /// Whether the check reads the registry's repositories or cache rules (the evaluator lists those once for all).
    var readsRepositories: Bool {
        switch self {
        case .repositoryExists, .imageTagPresent, .repositoriesAbsent: true
        case .pullThroughCacheRulePresent, .pullThroughCacheRuleAbsent, .permissionsGranted: false
        }
    }

    var readsCacheRules: Bool {
        switch self {
        case .pullThroughCacheRulePresent, .pullThroughCacheRuleAbsent: true
        case .repositoryExists, .imageTagPresent, .repositoriesAbsent, .permissionsGranted: false
        }
    }

    /// The kinds made of several conditions (one per repository), which `credit: perCondition` can split.
    public static let conditionKinds = ["repositoriesAbsent"]

    public var hasConditions: Bool { Self.conditionKinds.contains(name) }

    /// The check in words with its values filled in, as reports keep it: "repositoriesAbsent: a, b".
    public func describe(_ variables: [String: String]) -> String {
        func render(_ template: Template) -> String { template.render(variables) ?? template.raw }
        switch self {
        case .repositoryExists(let repository): return "\(name): \(render(repository))"
        case .imageTagPresent(let check):
            var text = "\(name): \(render(check.repository)):\(render(check.tag))"
            if let sameAs = check.sameAs { text += " sameAs \(sameAs.description)" }
            if let digests = check.digestOneOf { text += " digestOneOf \(digests.joined(separator: ", "))" }
            if let mediaTypes = check.mediaTypes { text += " mediaTypes \(mediaTypes.joined(separator: ", "))" }
            return text
        case .pullThroughCacheRulePresent(let upstream, let pattern, let capture):
            return "\(name): \(upstream.description) prefix ~ \(pattern.pattern)" + (capture.map { " (captures ${\($0)})" } ?? "")
        case .repositoriesAbsent(let repositories): return "\(name): \(repositories.map(render).joined(separator: ", "))"
        case .pullThroughCacheRuleAbsent(let prefix): return "\(name): \(render(prefix))"
        case .permissionsGranted(let check):
            let grants = check.permissions.map { "\($0.actions.joined(separator: ", ")) on \($0.resources.map(render).joined(separator: ", "))" }
            return "\(name): " + (check.principal.map { render($0) + ": " } ?? "") + grants.joined(separator: "; ")
        }
    }

    /// The variable this check captures, if any.
    public var captures: String? {
        if case .pullThroughCacheRulePresent(_, _, let capture) = self { return capture }
        return nil
    }
}

/// `imageTagPresent`: the tag, and optionally what the image tagged so must be.
public struct ImageTagCheck: Sendable, Hashable {
    public var repository: Template
    public var tag: Template
    /// The image must be this upstream image (its index, a platform manifest, or a platform config),
    /// judged against the pins; without pins for it, the step is graded by tag and says so.
    public var sameAs: ImageReference?
    public var digestOneOf: [String]?
    public var mediaTypes: [String]?

    public init(repository: Template, tag: Template, sameAs: ImageReference? = nil, digestOneOf: [String]? = nil, mediaTypes: [String]? = nil) {
        self.repository = repository
        self.tag = tag
        self.sameAs = sameAs
        self.digestOneOf = digestOneOf
        self.mediaTypes = mediaTypes
    }
}

/// Which upstream a cache rule must point at: by URL (`public.ecr.aws`) and/or by ECR's `upstreamRegistry` enum (`ecr-public`).
public struct UpstreamMatch: Sendable, Hashable {
    public var upstreamRegistryUrl: String?
    public var upstreamRegistry: String?

    public init(upstreamRegistryUrl: String?, upstreamRegistry: String?) {
        self.upstreamRegistryUrl = upstreamRegistryUrl
        self.upstreamRegistry = upstreamRegistry
    }

    public func matches(url: String?, registry: String?) -> Bool {
        if let upstreamRegistryUrl, url?.lowercased() != upstreamRegistryUrl.lowercased() { return false }
        if let upstreamRegistry, registry != upstreamRegistry { return false }
        return true
    }

    public var description: String {
        [upstreamRegistryUrl, upstreamRegistry.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
    }
}

/// A regular expression a cache-rule prefix must match in whole, checked at load time.
public struct PrefixPattern: Sendable, Hashable {
    public let pattern: String
    private let regex: NSRegularExpressionBox

    public init(_ pattern: String) throws {
        self.pattern = pattern
        self.regex = NSRegularExpressionBox(try NSRegularExpression(pattern: "^(?:" + pattern + ")$"))
    }

    public func matches(_ value: String) -> Bool {
        regex.value.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }

    public static func == (lhs: PrefixPattern, rhs: PrefixPattern) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// NSRegularExpression is immutable and thread-safe once built.
struct NSRegularExpressionBox: @unchecked Sendable {
    let value: NSRegularExpression
    init(_ value: NSRegularExpression) { self.value = value }
}

extension NSRegularExpressionBox: Hashable {
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.value.pattern == rhs.value.pattern }
    func hash(into hasher: inout Hasher) { hasher.combine(value.pattern) }
}
