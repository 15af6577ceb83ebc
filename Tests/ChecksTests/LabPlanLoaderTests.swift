import Checks
import Foundation
import LabCheckTestSupport
import Testing

/// fixtures/lab/stages.yaml and what the loader refuses, with file, line and field.
@Suite("Lab plan (verify-lab stages)")
struct LabPlanLoaderTests {
    static let lab = RepositoryFiles.root.appendingPathComponent("fixtures/lab")

    @Test("the lab's stages: every script exists, scores rise to 100 and the plan is for the spec's lab")
    func theLabsStages() throws {
        let plan = try LabPlanLoader.load(contentsOf: Self.lab.appendingPathComponent("stages.yaml"), labDirectory: Self.lab)
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        #expect(plan.labId == spec.id)
        #expect(plan.stages.map(\.id) == ["create-repositories", "push-images", "create-cache-rule", "pull-through-cache", "cleanup"])
        #expect(plan.stages.map(\.score) == [15, 45, 60, 75, 100])
        #expect(plan.stages.flatMap(\.scripts).count == 9)
        // Every script in the folder is run by some stage.
        let scripts = try FileManager.default.subpathsOfDirectory(atPath: Self.lab.path).filter { $0.hasSuffix(".sh") && $0 != "env.sh" }
        #expect(Set(scripts) == Set(plan.stages.flatMap(\.scripts)))
    }

    @Test("bad plans name the file, line and field", arguments: [
        ("schemaVersion: 2\nlab: ecr-lab\nstages: []\n", "t.yaml:1:16: schemaVersion: unsupported schemaVersion 2"),
        ("schemaVersion: 1\nlab: ecr-lab\nstages: []\n", "t.yaml:3:9: stages: a plan needs at least one stage"),
        ("schemaVersion: 1\nlab: ecr-lab\nstages:\n  - id: a\n    scripts: [99_delete/99_delete.sh]\n    score: 101\n", "t.yaml:6:12: stages[0].score: expected a percentage from 0 to 100, found '101'"),
        ("schemaVersion: 1\nlab: ecr-lab\nstages:\n  - id: a\n    scripts: [/etc/passwd]\n    score: 1\n", "stages[0].scripts[0]: '/etc/passwd' must be a path relative to the lab folder"),
        ("schemaVersion: 1\nlab: ecr-lab\nstages:\n  - id: a\n    scripts: [99_delete/nope.sh]\n    score: 1\n", "t.yaml:5:15: stages[0].scripts[0]: no script '99_delete/nope.sh'"),
        ("schemaVersion: 1\nlab: ecr-lab\nstages:\n  - id: a\n    scripts: []\n    score: 1\n", "stages[0].scripts: a stage needs at least one script"),
        ("schemaVersion: 1\nlab: ecr-lab\nstages:\n  - id: a\n    script: [x.sh]\n    score: 1\n", "stages[0].script: unknown key 'script'"),
        ("schemaVersion: 1\nlab: ecr-lab\nstages:\n  - {id: a, scripts: [99_delete/99_delete.sh], score: 1}\n  - {id: a, scripts: [99_delete/99_delete.sh], score: 2}\n",
         "duplicate stage id 'a' (first defined at line 4)"),
    ])
    func badPlans(yaml: String, expected: String) throws {
        do {
            _ = try LabPlanLoader.parse(yaml, file: "t.yaml", labDirectory: Self.lab)
            Issue.record("accepted a bad plan; expected: \(expected)")
        } catch let error as SpecError {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}
