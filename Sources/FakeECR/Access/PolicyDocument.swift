import Foundation

/// An IAM policy document (a repository policy of SetRepositoryPolicy, a role's trust) and the
/// statement matching that access decisions need: the one place policy text is understood.
///
/// The subset evaluated: `Effect` `Allow` or `Deny`; `Principal` `"*"`, `{"AWS": …}` with a string
/// or a list of `"*"`, an account id, `arn:aws:iam::<account>:root`, or a principal ARN (a role's
/// ARN also matches its sessions); `Action` a string or list, with `*` and `?` wildcards, compared
/// case-insensitively (`ecr:*`, `ecr:Batch*`). An explicit Deny wins over any Allow.
///
/// Not evaluated, failing closed: an Allow with `Condition`, `NotPrincipal`, `NotAction` or
/// `NotResource` allows nothing; a Deny with a `Condition` denies as if the condition held.
/// `Resource` is ignored: a repository policy is about its own repository. The IAM issue (identity
/// policies, conditions, policy simulation) extends this type rather than adding a second matcher.
struct PolicyDocument: Sendable, Equatable {
    struct Statement: Sendable, Equatable {
        enum Effect: Sendable, Equatable { case allow, deny }
        var effect: Effect
        /// Principal values; `["*"]` for `"Principal": "*"`.
        var principals: [String]
        var actions: [String]
        /// The statement has a member this type does not evaluate (see the type's comment).
        var hasUnevaluatedMembers: Bool
    }

    /// What the statements say about one request.
    enum Decision: Sendable, Equatable {
        /// No statement matches.
        case noMatch
        case allow
        /// A Deny statement matches (whatever the Allows say).
        case explicitDeny
    }

    var statements: [Statement]

    /// The policy in `text`; nil when it is not a JSON object with a `Statement`.
    init?(text: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any], let statement = object["Statement"] else {
            return nil
        }
        let list: [Any] = (statement as? [Any]) ?? [statement]
        statements = list.compactMap { ($0 as? [String: Any]).flatMap(Self.statement) }
    }

    init(statements: [Statement]) { self.statements = statements }

    private static func statement(_ object: [String: Any]) -> Statement? {
        let effect: Statement.Effect
        switch object["Effect"] as? String {
        case "Allow": effect = .allow
        case "Deny": effect = .deny
        default: return nil
        }
        var principals: [String] = []
        if let text = object["Principal"] as? String {
            principals = [text]
        } else if let map = object["Principal"] as? [String: Any] {
            principals = strings(map["AWS"])
        }
        let unevaluated = ["Condition", "NotPrincipal", "NotAction", "NotResource"].contains { object[$0] != nil }
        return Statement(effect: effect, principals: principals, actions: strings(object["Action"]), hasUnevaluatedMembers: unevaluated)
    }

    private static func strings(_ value: Any?) -> [String] {
        if let text = value as? String { return [text] }
        return (value as? [Any])?.compactMap { $0 as? String } ?? []
    }

    /// The decision for `principal` doing `action` (`ecr:BatchGetImage`, `sts:AssumeRole`).
    func decision(for principal: AccessPrincipal, action: String) -> Decision {
        var allowed = false
        for statement in statements {
            let matches = statement.principals.contains { Self.principal($0, matches: principal) }
                && statement.actions.contains { Self.pattern($0, matches: action) }
            guard matches else { continue }
            switch statement.effect {
            case .deny: return .explicitDeny
            case .allow where !statement.hasUnevaluatedMembers: allowed = true
            case .allow: break
            }
        }
        return allowed ? .allow : .noMatch
    }

    /// Whether a policy's principal value names `principal`.
    static func principal(_ value: String, matches principal: AccessPrincipal) -> Bool {
        value == "*" || value == principal.accountId || value == principal.accountRootArn || value == principal.arn
            || (principal.roleArn.map { $0 == value } ?? false)
    }

    /// IAM action matching: `*` any run, `?` one character, case-insensitive.
    static func pattern(_ pattern: String, matches action: String) -> Bool {
        let p = Array(pattern.lowercased()), v = Array(action.lowercased())
        var pi = 0, vi = 0, star = -1, mark = 0
        while vi < v.count {
            if pi < p.count, p[pi] == v[vi] || p[pi] == "?" {
                pi += 1
                vi += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = vi
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                vi = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
