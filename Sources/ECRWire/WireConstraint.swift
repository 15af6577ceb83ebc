import Foundation

/// A length and pattern constraint from the service model (`min`, `max`, `pattern`).
public struct WireConstraint: Sendable {
    public let min: Int?
    public let max: Int?
    public let pattern: String?

    public init(min: Int?, max: Int?, pattern: String?) {
        self.min = min
        self.max = max
        self.pattern = pattern
    }

    /// Whether a length (characters, bytes or list members, as the caller counts) is within `min`…`max`.
    /// Whether a number is within the bounds (for ranges such as CloudTrail's MaxResults).
    public func allowsValue(_ value: Int) -> Bool { allowsLength(value) }

    public func allowsLength(_ length: Int) -> Bool {
        if let min, length < min { return false }
        if let max, length > max { return false }
        return true
    }

    /// The AWS wording of the length bounds: `Member must have length between 1 and 100`.
    public var lengthBetween: String { "Member must have length between \(min ?? 0) and \(max ?? Int.max)" }

    /// The AWS wording of the upper bound alone: `Member must have length less than or equal to 5`.
    public var lengthAtMost: String { "Member must have length less than or equal to \(max ?? Int.max)" }

    /// Whether `value` satisfies the constraint; the pattern must match the whole value.
    public func accepts(_ value: String) -> Bool {
        if let min, value.count < min { return false }
        if let max, value.count > max { return false }
        if let pattern {
            let anchored = "^(?:" + pattern.trimmingPrefix("^").replacingOccurrences(of: "$", with: "", options: .anchored) + ")$"
            guard let regex = try? NSRegularExpression(pattern: anchored) else { return false }
            let range = NSRange(value.startIndex..., in: value)
            return regex.firstMatch(in: value, range: range) != nil
        }
        return true
    }
}
