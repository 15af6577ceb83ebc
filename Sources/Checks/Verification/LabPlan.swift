import Foundation

/// How `labcheck verify-lab` runs a lab's own scripts: stages in order, each a list of scripts
/// (paths relative to the lab's script folder) and the score the checker must give after it.
public struct LabPlan: Sendable, Equatable {
    public static let supportedSchemaVersions: Set<Int> = [1]

    public var schemaVersion: Int
    /// The spec's lab id (`checks/ecr-lab.yaml`'s `lab.id`) this plan is written for.
    public var labId: String
    public var stages: [Stage]
    /// The file it was read from.
    public var source: String

    public struct Stage: Sendable, Equatable {
        public var id: String
        public var title: String
        /// Script paths relative to the lab folder, run in order with `sh`.
        public var scripts: [String]
        /// The percentage of the whole lab's points that must be earned after this stage.
        public var score: Double
        /// Line of the stage in the plan file.
        public var line: Int

        public init(id: String, title: String, scripts: [String], score: Double, line: Int = 0) {
            self.id = id
            self.title = title
            self.scripts = scripts
            self.score = score
            self.line = line
        }
    }

    public init(schemaVersion: Int = 1, labId: String, stages: [Stage], source: String) {
        self.schemaVersion = schemaVersion
        self.labId = labId
        self.stages = stages
        self.source = source
    }
}
