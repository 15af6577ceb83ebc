import ArgumentParser

/// `--shard K/N`: this run grades every N-th roster row starting with the K-th (K in 1...N).
/// Also read from a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX` is 0-based, `JOB_COMPLETIONS` = N).
struct Shard: Equatable, ExpressibleByArgument, CustomStringConvertible {
    /// 1-based.
    var index: Int
    var count: Int

    init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            return nil
        }
        self.init(index: index, count: count)
    }

    static let whole = Shard(index: 1, count: 1)

    /// From a Kubernetes Indexed Job's environment, when both variables are set.
    static func fromEnvironment(_ environment: [String: String]) throws -> Shard? {
        guard let indexText = environment["JOB_COMPLETION_INDEX"], let countText = environment["JOB_COMPLETIONS"] else { return nil }
        guard let index = Int(indexText), let count = Int(countText), count >= 1, (0..<count).contains(index) else {
            throw ValidationError("JOB_COMPLETION_INDEX=\(indexText) and JOB_COMPLETIONS=\(countText) do not name a shard (index 0..<completions)")
        }
        return Shard(index: index + 1, count: count)
    }

    var description: String { "\(index)/\(count)" }
    static var defaultValueDescription: String { "1/1" }
}
