import Foundation

/// Faults the fake injects on purpose, so that clients can be tested against a registry that
/// throttles, fails, stalls and drops connections (`fake-ecr serve --faults FILE`, or
/// `PUT /_fake/faults`). Seeded: the same plan and the same requests in the same order give the
/// same faults.
///
///     { "seed": 7,
///       "rules": [ { "plane": "ecr", "operations": ["DescribeImages"], "fault": "throttle", "rate": 0.3 },
///                  { "fault": "500", "rate": 0.05 },
///                  { "plane": "registry", "fault": "latency", "rate": 1, "latencyMilliseconds": 200 } ] }
public struct FaultPlan: Codable, Sendable, Equatable {
    /// Which part of the fake a rule applies to.
    public enum Plane: String, Codable, Sendable, CaseIterable {
        /// The ECR JSON API (operations by name: `DescribeRepositories`).
        case ecr
        /// STS (actions by name: `AssumeRole`).
        case sts
        /// The `/v2/` data plane (operations by the ECR action they stand for: `BatchGetImage`, `PutImage`, …).
        case registry
        /// CloudTrail's JSON API (`LookupEvents`).
        case cloudtrail
        /// All four.
        case any
    }

    /// What goes wrong.
    public enum Fault: String, Codable, Sendable, CaseIterable {
        /// The service's throttling error (ECR `ThrottlingException`, STS `Throttling`, registry 429 `TOOMANYREQUESTS`).
        case throttle
        /// HTTP 500 with the service's internal-error body.
        case serverError = "500"
        /// HTTP 503 with the service's unavailable body.
        case unavailable = "503"
        /// HTTP 200 with an empty body.
        case emptyBody
        /// The real answer, cut off halfway: the connection closes before the body is complete.
        case truncatedBody
        /// The real answer after `latencyMilliseconds`.
        case latency
        /// The connection is closed with no answer.
        case reset
    }

    public struct Rule: Codable, Sendable, Equatable {
        public var plane: Plane
        /// Operation names the rule applies to; nil: every operation of the plane.
        public var operations: [String]?
        public var fault: Fault
        /// Share of matching requests that get the fault, 0–1.
        public var rate: Double
        /// For `latency`: how long each matching answer is held back.
        public var latencyMilliseconds: Int?

        public init(plane: Plane = .any, operations: [String]? = nil, fault: Fault, rate: Double, latencyMilliseconds: Int? = nil) {
            self.plane = plane
            self.operations = operations
            self.fault = fault
            self.rate = rate
            self.latencyMilliseconds = latencyMilliseconds
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case plane, operations, fault, rate, latencyMilliseconds }

        public init(from decoder: any Decoder) throws {
            try StrictKeys.check(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
            let container = try decoder.container(keyedBy: CodingKeys.self)
            plane = try container.decodeIfPresent(Plane.self, forKey: .plane) ?? .any
            operations = try container.decodeIfPresent([String].self, forKey: .operations)
            fault = try container.decode(Fault.self, forKey: .fault)
            rate = try container.decode(Double.self, forKey: .rate)
            latencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds)
        }

        /// Whether a request of `plane` named `operation` is subject to this rule.
        func matches(_ plane: Plane, _ operation: String) -> Bool {
            (self.plane == .any || self.plane == plane) && (operations?.contains(operation) ?? true)
        }
    }

    public var seed: UInt64
    public var rules: [Rule]

    public init(seed: UInt64 = 0, rules: [Rule]) {
        self.seed = seed
        self.rules = rules
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case seed, rules }

    public init(from decoder: any Decoder) throws {
        try StrictKeys.check(decoder, allowed: CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        rules = try container.decode([Rule].self, forKey: .rules)
    }

    /// Reads and checks a plan; errors name the file, the JSON path and what was expected.
    public static func parse(_ data: Data, file: String) throws -> FaultPlan {
        let plan = try InputFileError.decode(FaultPlan.self, from: data, file: file)
        for (index, rule) in plan.rules.enumerated() {
            let path = "$.rules[\(index)]"
            guard rule.rate.isFinite, (0...1).contains(rule.rate) else {
                throw InputFileError(file: file, path: path + ".rate", problem: "expected a share between 0 and 1, found \(rule.rate)")
            }
            switch (rule.fault, rule.latencyMilliseconds) {
            case (.latency, nil):
                throw InputFileError(file: file, path: path + ".latencyMilliseconds", problem: "a latency fault needs latencyMilliseconds")
            case (.latency, let milliseconds?) where !(0...600_000).contains(milliseconds):
                throw InputFileError(file: file, path: path + ".latencyMilliseconds", problem: "expected 0 to 600000, found \(milliseconds)")
            case (let fault, _?) where fault != .latency:
                throw InputFileError(file: file, path: path + ".latencyMilliseconds", problem: "only a latency fault takes latencyMilliseconds")
            default:
                break
            }
            if let operations = rule.operations, operations.isEmpty || operations.contains(where: \.isEmpty) {
                throw InputFileError(file: file, path: path + ".operations", problem: "expected operation names such as DescribeImages, or no operations key for all")
            }
        }
        return plan
    }

    public static func read(from url: URL) throws -> FaultPlan {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputFileError(file: url.path, path: "$", problem: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(data, file: url.path)
    }
}
