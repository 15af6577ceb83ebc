/// A problem in a check spec file, with where it is and what is wrong.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The field path, e.g. "steps[3].check.kind".
    public var field: String?
    public var problem: String

    public init(file: String, line: Int?, column: Int? = nil, field: String?, problem: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.problem = problem
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let line, let column, line > 0 { location += ":\(column)" }
        let subject = field.map { "\($0): " } ?? ""
        return "\(location): \(subject)\(problem)"
    }
}
