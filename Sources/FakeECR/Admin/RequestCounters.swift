import Foundation

/// Requests answered, per operation (`ecr:DescribeRepositories`, `sts:GetCallerIdentity`) and per account.
public actor RequestCounters {
    private var total: [String: Int] = [:]
    private var perAccount: [String: [String: Int]] = [:]

    public init() {}

    public func record(_ operation: String, accountId: String) {
        total[operation, default: 0] += 1
        perAccount[accountId, default: [:]][operation, default: 0] += 1
    }

    public func counts() -> [String: Int] { total }
    public func countsByAccount() -> [String: [String: Int]] { perAccount }

    public func reset() {
        total = [:]
        perAccount = [:]
    }
}
