import Checks
import Foundation
import LabCheckTestSupport
import Testing

/// The grading policy file: loaded and validated against the spec, every problem with file:line and field.
@Suite("Policy loading")
struct PolicyLoaderTests {
    let spec: LabSpec

    init() throws {
        spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
    }

    static let file = "policy.yaml"

    func parse(_ text: String) throws -> GradingPolicy {
        try PolicyLoader.parse(text, file: Self.file, spec: spec)
    }

    /// The error a policy text is refused with.
    func refusal(_ text: String) -> SpecError? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as SpecError {
            return error
        } catch {
            Issue.record("not a SpecError: \(error)")
            return nil
        }
    }

    @Test("fixtures/policy/example.yaml loads: deadline, late window, penalty, pass score, points, waivers")
    func exampleLoads() throws {
        let url = RepositoryFiles.root.appendingPathComponent("fixtures/policy/example.yaml")
        let policy = try PolicyLoader.load(contentsOf: url, spec: spec)
        #expect(policy.deadline == ISO8601Text.dateTime("2025-04-02T08:00:00Z"))
        #expect(policy.lateUntil == ISO8601Text.dateTime("2025-04-05T08:00:00Z"))
        #expect(policy.latePenaltyPerDay == 10)
        #expect(policy.passScore == 60)
        #expect(policy.points == ["cleanup-repositories": 20])
        #expect(policy.waivers.count == 2)
        #expect(policy.waivers[0].student == "s03")
        #expect(policy.waivers[0].grant == .points)
        #expect(policy.waivers[0].expires == ISO8601Text.dateTime("2025-06-30T23:59:59Z"), "a day means through its end")
        #expect(policy.waivers[1].student == nil)
        #expect(policy.waivers[1].grant == .exclude)
        #expect(policy.digest?.hasPrefix("sha256:") == true)
        #expect(policy.source == url.path)
    }

    @Test("bad policy files are refused with file:line and the field", arguments: [
        ("schemaVersion: 1\ndeadline: 2025-04-02\n", 2, "deadline", "not an ISO 8601 time with a zone"),
        ("schemaVersion: 1\ndeadline: 2025-04-02T09:00:00Z\nlateUntil: 2025-04-01T09:00:00Z\n", 3, "lateUntil", "must come after the deadline"),
        ("schemaVersion: 1\nlateUntil: 2025-04-01T09:00:00Z\n", 2, "lateUntil", "needs a deadline"),
        ("schemaVersion: 1\ndeadline: 2025-04-02T09:00:00Z\nlatePenaltyPerDay: 10\n", 3, "latePenaltyPerDay", "needs lateUntil"),
        ("schemaVersion: 1\ndeadline: 2025-04-02T09:00:00Z\nlateUntil: 2025-04-03T09:00:00Z\nlatePenaltyPerDay: 150\n", 4, "latePenaltyPerDay", "from 0 to 100"),
        ("schemaVersion: 1\npassScore: high\n", 2, "passScore", "expected a number"),
        ("schemaVersion: 1\ndeadlin: 2025-04-02T09:00:00Z\n", 2, "deadlin", "unknown key 'deadlin'"),
        ("schemaVersion: 1\nsteps:\n  repo-ngnix:\n    points: 5\n", 4, "steps.repo-ngnix", "unknown step 'repo-ngnix'"),
        ("schemaVersion: 1\nsteps:\n  repo-nginx:\n    points: -5\n", 4, "steps.repo-nginx.points", "0 or more"),
        ("schemaVersion: 1\nwaivers:\n  - step: repo-nginx\n    expires: 2025-05-01\n", 3, "waivers[0]", "missing required key 'reason'"),
        ("schemaVersion: 1\nwaivers:\n  - step: repo-nginx\n    reason: \"\"\n    expires: 2025-05-01\n", 4, "waivers[0].reason", "needs a reason"),
        ("schemaVersion: 1\nwaivers:\n  - step: repo-nginx\n    reason: r\n    expires: soon\n", 5, "waivers[0].expires", "not an ISO 8601 date"),
        ("schemaVersion: 1\nwaivers:\n  - step: repo-nginx\n    reason: r\n    expires: 2025-05-01\n    grant: half\n", 6, "waivers[0].grant", "unknown grant 'half'"),
        ("schemaVersion: 1\nwaivers:\n  - step: nope\n    reason: r\n    expires: 2025-05-01\n", 3, "waivers[0].step", "unknown step 'nope'"),
        ("schemaVersion: 1\nwaivers:\n  - { step: repo-nginx, reason: r, expires: 2025-05-01 }\n  - { step: repo-nginx, reason: s, expires: 2025-05-02 }\n", 4, "waivers[1]", "a second waiver"),
        ("schemaVersion: 2\n", 1, "schemaVersion", "unsupported schemaVersion 2"),
        ("deadline: 2025-04-02T09:00:00Z\n", 1, nil, "missing required key 'schemaVersion'"),
        ("schemaVersion: 1\ndeadline: [\n", 3, nil, "YAML"),
    ] as [(String, Int, String?, String)])
    func refused(_ text: String, line: Int, field: String?, problem: String) {
        let error = refusal(text)
        #expect(error?.file == Self.file)
        #expect(error?.line == line, "\(String(describing: error))")
        #expect(error?.field == field, "\(String(describing: error))")
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("\(Self.file):\(line)") == true, "\(String(describing: error))")
    }

    @Test("a waiver naming a student who is not in the roster is refused at its line")
    func waiverForUnknownStudent() throws {
        let policy = try parse("schemaVersion: 1\nwaivers:\n  - { student: s99, step: repo-nginx, reason: r, expires: 2025-05-01 }\n")
        #expect(throws: SpecError.self) { try policy.checkStudents(["s01"]) }
        do { try policy.checkStudents(["s01"]) } catch let error as SpecError {
            #expect(error.line == 3)
            #expect(error.description.contains("student 's99' is not in the roster"))
        }
        try policy.checkStudents(["s99"])
    }

    @Test("credit: perCondition only on a check of several conditions, and only all or perCondition")
    func creditInTheSpec() throws {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        #expect(spec.step("cleanup-repositories")?.creditPerCondition == true, "the default spec splits the four deletions")
        #expect(spec.steps.filter(\.creditPerCondition).map(\.id) == ["cleanup-repositories"])
        let single = SpecLoaderTests.base + "\n    credit: perCondition\n"
        #expect { try SpecLoader.parse(single, file: "s.yaml") } throws: { error in
            (error as? SpecError).map { $0.field == "steps[0].credit" && $0.problem.contains("several conditions") && $0.line == 13 } ?? false
        }
        let unknown = SpecLoaderTests.base + "\n    credit: some\n"
        #expect { try SpecLoader.parse(unknown, file: "s.yaml") } throws: { error in
            (error as? SpecError).map { $0.field == "steps[0].credit" && $0.problem.contains("expected all (the default) or perCondition") } ?? false
        }
    }
}
