/// One condition of a step made of several (e.g. one repository of `repositoriesAbsent`), met or not.
public struct StepCondition: Codable, Sendable, Hashable {
    /// What the condition is about, e.g. the repository's name.
    public var name: String
    public var met: Bool

    public init(name: String, met: Bool) {
        self.name = name
        self.met = met
    }
}
