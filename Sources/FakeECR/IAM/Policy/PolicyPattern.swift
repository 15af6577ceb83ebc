import Foundation

/// The wildcard matching of IAM policies: `*` any run of characters, `?` exactly one.
///
/// Actions compare case-insensitively (`ECR:batchgetimage` names `ecr:BatchGetImage`); resources,
/// ARNs and `StringLike` values compare case-sensitively, as IAM does.
enum PolicyPattern {
    /// Whether `pattern` (with `*` and `?`) matches the whole of `value`.
    static func matches(_ pattern: String, _ value: String, ignoringCase: Bool = false) -> Bool {
        let p = Array(ignoringCase ? pattern.lowercased() : pattern), v = Array(ignoringCase ? value.lowercased() : value)
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

    /// An action pattern (`ecr:Batch*`, `*`) against an action (`ecr:BatchGetImage`).
    static func action(_ pattern: String, matches action: String) -> Bool {
        matches(pattern, action, ignoringCase: true)
    }

    /// ARN matching as `Resource` and `ArnLike` do it: the six `:`-separated parts are compared one
    /// by one, each with wildcards (a `*` does not run across a `:` of the first five parts; the
    /// sixth, the resource, may hold `:` and `/`). A bare `*` matches every ARN.
    static func arn(_ pattern: String, matches arn: String) -> Bool {
        if pattern == "*" { return true }
        let p = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let a = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard p.count == 6, a.count == 6 else { return matches(pattern, arn) }
        return zip(p, a).allSatisfy { matches(String($0), String($1)) }
    }
}
