import Crypto
import Foundation

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
    /// "sha256:<hex>" of the spec's text: which rules made a grade (every report records it).
    public var digest: String?

    public init(schemaVersion: Int, id: String, title: LocalizedText, steps: [StepSpec], source: String, digest: String? = nil) {
        self.schemaVersion = schemaVersion
        self.id = id
        self.title = title
        self.steps = steps
        self.source = source
        self.digest = digest
    }

    /// The digest `SpecLoader` records for a spec's text: "sha256:" and the hex SHA-256 of its UTF-8 bytes.
    public static func digest(ofText text: String) -> String {
        "sha256:" + SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
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
    /// The IAM permissions doing this step of the lab takes (`labcheck doctor` checks them); none when not said.
    public var permissions: [PermissionGrant]
    /// Line of the step in the spec file.
    public var line: Int
    /// `credit: perCondition`: a step made of several conditions earns its points in proportion to
    /// those met (rounded down), and names the missing ones; otherwise (`all`, the default) all or nothing.
    public var creditPerCondition: Bool

    public init(
        id: String, phase: Phase, points: Int, title: LocalizedText, hint: LocalizedText?, needs: [String], check: CheckKind, line: Int,
        creditPerCondition: Bool = false,
        permissions: [PermissionGrant] = []
    ) {
        self.creditPerCondition = creditPerCondition
        self.permissions = permissions
        self.id = id
        self.phase = phase
        self.points = points
        self.title = title
        self.hint = hint
        self.needs = needs
        self.check = check
        self.line = line
    }

    /// Every template of the step: its check's and its permissions'.
    public var templates: [Template] { check.templates + permissions.flatMap(\.templates) }
}
