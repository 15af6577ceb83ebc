import Yams

/// A position in a parsed YAML document that knows its file, line and field path, so every
/// type or shape problem is reported as `file:line:column: field: what is wrong`.
struct YAMLCursor {
    let node: Node
    let file: String
    let path: String

    func error(_ problem: String) -> SpecError {
        SpecError(file: file, line: node.mark?.line, column: node.mark?.column, field: path.isEmpty ? nil : path, problem: problem)
    }

    private func child(_ node: Node, _ component: String) -> YAMLCursor {
        YAMLCursor(node: node, file: file, path: path.isEmpty ? component : path + "." + component)
    }

    var kindName: String {
        switch node {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The keys and values of a mapping; rejects duplicate keys and, when `allowed` is given, unknown ones.
    func mapping(allowed: Set<String>? = nil) throws -> [String: YAMLCursor] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(kindName)") }
        var result: [String: YAMLCursor] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { throw child(keyNode, "?").error("keys must be strings") }
            if result[key] != nil { throw child(keyNode, key).error("duplicate key '\(key)'") }
            if let allowed, !allowed.contains(key) {
                throw child(keyNode, key).error("unknown key '\(key)'; expected one of: \(allowed.sorted().joined(separator: ", "))")
            }
            result[key] = child(valueNode, key)
        }
        return result
    }

    func list() throws -> [YAMLCursor] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kindName)") }
        return sequence.enumerated().map { index, item in
            YAMLCursor(node: item, file: file, path: "\(path)[\(index)]")
        }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a string, found \(kindName)") }
        return scalar.string
    }

    func int() throws -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error("expected a whole number, found \(describeValue)")
        }
        return value
    }

    func number() throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            throw error("expected a number, found \(describeValue)")
        }
        return value
    }

    func stringList() throws -> [String] {
        if case .scalar = node { return [try string()] }
        return try list().map { try $0.string() }
    }

    var describeValue: String {
        if case .scalar(let scalar) = node { return "'\(scalar.string)'" }
        return kindName
    }
}

extension Dictionary where Key == String, Value == YAMLCursor {
    func required(_ key: String, in parent: YAMLCursor) throws -> YAMLCursor {
        guard let value = self[key] else { throw parent.error("missing required key '\(key)'") }
        return value
    }
}
