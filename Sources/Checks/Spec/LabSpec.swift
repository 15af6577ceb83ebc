/// A lab's steps, loaded from YAML (`checks/ecr-lab.yaml`).
public struct LabSpec: Sendable, Hashable {
    public static let supportedSchemaVersions = [1]

    public var schemaVersion: Int
    public var id: String
    public var title: LocalizedText
    /// Steps in the order of the file, which is also a valid evaluation order (dependencies come first).
    public var steps: [StepSpec]
    /// Where the spec was read from, for messages.
    public var source: String

    public init(schemaVersion: Int, id: String, title: LocalizedText, steps: [StepSpec], source: String) {
        self.schemaVersion = schemaVersion
        self.id = id
        self.title = title
        self.steps = steps
        self.source = source
    }

    public func step(_ id: String) -> StepSpec? { steps.first { $0.id == id } }
    public var totalPoints: Int { steps.reduce(0) { $0 + $1.points } }
}

/// One step of a lab: what to check, how many points, in which phase, after which steps.
public struct StepSpec: Sendable, Hashable {
    public var id: String
    public var phase: Phase
    public var points: Int
    public var title: LocalizedText
    public var hint: LocalizedText?
    public var needs: [String]
    public var check: CheckKind
    /// Line of the step in the spec file.
    public var line: Int

    public init(id: String, phase: Phase, points: Int, title: LocalizedText, hint: LocalizedText?, needs: [String], check: CheckKind, line: Int) {
        self.id = id
        self.phase = phase
        self.points = points
        self.title = title
        self.hint = hint
        self.needs = needs
        self.check = check
        self.line = line
    }
}
