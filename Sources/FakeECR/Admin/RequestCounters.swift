import Synchronization

/// Requests answered, per operation (`ecr:DescribeRepositories`, `sts:GetCallerIdentity`) and per account.
/// Every request counts itself, so this is a lock rather than an actor: a count is a few dictionary
/// updates, cheaper than the hop to an actor's executor and back.
public final class RequestCounters: Sendable {
    private struct Counts {
        var total: [String: Int] = [:]
        var perAccount: [String: [String: Int]] = [:]
    }

    private let counts = Mutex(Counts())

    public init() {}

    public func record(_ operation: String, accountId: String) {
        counts.withLock { counts in
            counts.total[operation, default: 0] += 1
            counts.perAccount[accountId, default: [:]][operation, default: 0] += 1
        }
    }

    public func totals() -> [String: Int] { counts.withLock { $0.total } }
    public func countsByAccount() -> [String: [String: Int]] { counts.withLock { $0.perAccount } }

    public func reset() {
        counts.withLock { $0 = Counts() }
    }
}
