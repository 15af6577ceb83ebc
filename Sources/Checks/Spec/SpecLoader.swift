import Foundation
import Yams

/// Reads a lab spec from YAML and validates it completely at load time: kinds and their parameters,
/// patterns, variables, ids, `needs` and dependency cycles. Every problem names file, line and field.
public enum SpecLoader {
    public static func load(contentsOf url: URL) throws -> LabSpec {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SpecError(file: url.path, line: nil, field: nil, problem: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, file: url.path)
    }

    public static func parse(_ text: String, file: String) throws -> LabSpec {
        let root = try compose(text, file: file)
        let top = try YAMLCursor(node: root, file: file, path: "").mapping(allowed: ["schemaVersion", "lab", "steps"])
        let rootCursor = YAMLCursor(node: root, file: file, path: "")

        let versionCursor = try top.required("schemaVersion", in: rootCursor)
        let version = try versionCursor.int()
        guard LabSpec.supportedSchemaVersions.contains(version) else {
            throw versionCursor.error("unsupported schemaVersion \(version); this labcheck reads \(LabSpec.supportedSchemaVersions.map(String.init).joined(separator: ", "))")
        }
        let labCursor = try top.required("lab", in: rootCursor)
        let lab = try labCursor.mapping(allowed: ["id", "title"])
        let labId = try identifier(lab.required("id", in: labCursor))
        let labTitle = try localized(lab.required("title", in: labCursor))

        let stepsCursor = try top.required("steps", in: rootCursor)
        let stepCursors = try stepsCursor.list()
        if stepCursors.isEmpty { throw stepsCursor.error("a lab needs at least one step") }
        var steps: [StepSpec] = []
        var cursorsById: [String: YAMLCursor] = [:]
        for cursor in stepCursors {
            let step = try parseStep(cursor)
            if let previous = cursorsById[step.id] {
                throw cursor.error("duplicate step id '\(step.id)' (first defined at line \(previous.node.mark?.line ?? 0))")
            }
            cursorsById[step.id] = cursor
            steps.append(step)
        }
        try validateGraph(steps, cursors: cursorsById)
        return LabSpec(schemaVersion: version, id: labId, title: labTitle, steps: try topologicallyOrdered(steps, cursors: cursorsById), source: file,
            digest: LabSpec.digest(ofText: text))
    }

    static let stepKeys: Set<String> = ["id", "phase", "points", "title", "hint", "needs", "check", "credit", "permissions"]

    static func parseStep(_ cursor: YAMLCursor) throws -> StepSpec {
        let fields = try cursor.mapping(allowed: stepKeys)
        let id = try identifier(fields.required("id", in: cursor))
        let phaseCursor = try fields.required("phase", in: cursor)
        let phaseName = try phaseCursor.string()
        guard let phase = Phase(rawValue: phaseName) else {
            throw phaseCursor.error("unknown phase '\(phaseName)'; expected \(Phase.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let pointsCursor = try fields.required("points", in: cursor)
        let points = try pointsCursor.int()
        guard points >= 0 else { throw pointsCursor.error("points must be 0 or more, found \(points)") }
        let title = try localized(fields.required("title", in: cursor))
        let hint = try fields["hint"].map(localized)
        let needs = try fields["needs"].map { try $0.stringList() } ?? []
        let check = try parseCheck(fields.required("check", in: cursor))
        var perCondition = false
        if let creditCursor = fields["credit"] {
            switch try creditCursor.string() {
            case "all": perCondition = false
            case "perCondition":
                guard check.hasConditions else {
                    throw creditCursor.error("credit perCondition needs a check made of several conditions (\(CheckKind.conditionKinds.joined(separator: ", "))); \(check.name) is one")
                }
                perCondition = true
            default:
                throw creditCursor.error("unknown credit \(creditCursor.describeValue); expected all (the default) or perCondition")
            }
        }
        if phase == .preflight, points != 0 {
            throw pointsCursor.error("a preflight step is worth no points (the lab's points are its build and cleanup), found \(points)")
        }
        let permissions = try fields["permissions"].map(permissionGrants) ?? []
        return StepSpec(id: id, phase: phase, points: points, title: title, hint: hint, needs: needs, check: check,
                        line: cursor.node.mark?.line ?? 0, creditPerCondition: perCondition, permissions: permissions)
    }

    static func parseCheck(_ cursor: YAMLCursor) throws -> CheckKind {
        let fields = try cursor.mapping()
        let kindCursor = try fields.required("kind", in: cursor)
        let kind = try kindCursor.string()
        func allow(_ keys: Set<String>) throws {
            for (key, value) in fields where key != "kind" && !keys.contains(key) {
                throw value.error("unknown parameter '\(key)' for kind \(kind); expected: \(keys.sorted().joined(separator: ", "))")
            }
        }
        switch kind {
        case "repositoryExists":
            try allow(["repository"])
            return .repositoryExists(repository: try template(fields.required("repository", in: cursor)))
        case "imageTagPresent":
            try allow(["repository", "tag", "sameAs", "digestOneOf", "digest", "mediaTypes", "mediaType"])
            var digests = try fields["digestOneOf"].map { try $0.stringList() }
            if let single = fields["digest"] { digests = (digests ?? []) + [try single.string()] }
            for (index, digest) in (digests ?? []).enumerated() where !isDigest(digest) {
                throw (fields["digestOneOf"] ?? fields["digest"] ?? cursor).error(
                    "digest #\(index + 1) '\(digest)' is not of the form sha256:<64 hex digits>")
            }
            var mediaTypes = try fields["mediaTypes"].map { try $0.stringList() }
            if let single = fields["mediaType"] { mediaTypes = (mediaTypes ?? []) + [try single.string()] }
            let sameAs = try fields["sameAs"].map { field in
                let text = try field.string()
                guard let reference = ImageReference(parsing: text) else {
                    throw field.error("'\(text)' is not an upstream image reference such as public.ecr.aws/nginx/nginx:1.27")
                }
                return reference
            }
            return .imageTagPresent(ImageTagCheck(
                repository: try template(fields.required("repository", in: cursor)),
                tag: try template(fields.required("tag", in: cursor)),
                sameAs: sameAs, digestOneOf: digests, mediaTypes: mediaTypes))
        case "pullThroughCacheRulePresent":
            try allow(["upstreamRegistryUrl", "upstreamRegistry", "prefixPattern", "capture"])
            let url = try fields["upstreamRegistryUrl"]?.string()
            let registry = try fields["upstreamRegistry"]?.string()
            if url == nil && registry == nil {
                throw cursor.error("needs upstreamRegistryUrl or upstreamRegistry (or both)")
            }
            let patternCursor = try fields.required("prefixPattern", in: cursor)
            let pattern: PrefixPattern
            do { pattern = try PrefixPattern(try patternCursor.string()) } catch let error as SpecError { throw error } catch {
                throw patternCursor.error("not a valid regular expression: \(patternCursor.describeValue)")
            }
            let capture = try fields["capture"].map(identifier)
            return .pullThroughCacheRulePresent(
                upstream: UpstreamMatch(upstreamRegistryUrl: url, upstreamRegistry: registry), prefixPattern: pattern, capture: capture)
        case "repositoriesAbsent", "repositoryAbsent":
            try allow(["repositories", "repository"])
            var list = try fields["repositories"].map { try $0.list().map(template) } ?? []
            if let single = fields["repository"] { list.append(try template(single)) }
            if list.isEmpty { throw cursor.error("missing required key 'repositories'") }
            return .repositoriesAbsent(repositories: list)
        case "pullThroughCacheRuleAbsent":
            try allow(["ecrRepositoryPrefix"])
            return .pullThroughCacheRuleAbsent(prefix: try template(fields.required("ecrRepositoryPrefix", in: cursor)))
        case "permissionsGranted":
            try allow(["principal", "permissions"])
            return .permissionsGranted(PermissionCheck(
                principal: try fields["principal"].map(template),
                permissions: try permissionGrants(fields.required("permissions", in: cursor))))
        default:
            throw kindCursor.error("unknown check kind '\(kind)'; expected one of: \(CheckKind.names.joined(separator: ", "))")
        }
    }

    /// Unknown `needs`, self-dependencies and variables nobody captures.
    static func validateGraph(_ steps: [StepSpec], cursors: [String: YAMLCursor]) throws {
        let ids = Set(steps.map(\.id))
        let byId = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for step in steps {
            let cursor = cursors[step.id].map { YAMLCursor(node: $0.node, file: $0.file, path: $0.path + ".needs") }
            for need in step.needs where !ids.contains(need) {
                throw cursor?.error("unknown step '\(need)' in needs; steps are: \(steps.map(\.id).joined(separator: ", "))")
                    ?? SpecError(file: "", line: step.line, field: "needs", problem: "unknown step '\(need)'")
            }
        }
        // Cycles (depth-first search with colours).
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ id: String, _ trail: [String]) throws {
            if state[id] == 2 { return }
            if state[id] == 1 {
                let cycle = trail.drop { $0 != id } + [id]
                throw cursors[id]?.error("dependency cycle: \(cycle.joined(separator: " -> "))")
                    ?? SpecError(file: "", line: nil, field: "needs", problem: "dependency cycle")
            }
            state[id] = 1
            for need in byId[id]?.needs ?? [] { try visit(need, trail + [id]) }
            state[id] = 2
        }
        for step in steps { try visit(step.id, []) }
        // Variables: built-ins, or captured by a step this one (transitively) needs.
        func ancestors(_ id: String) -> Set<String> {
            var seen: Set<String> = []
            var queue = byId[id]?.needs ?? []
            while let next = queue.popLast() {
                if seen.insert(next).inserted { queue.append(contentsOf: byId[next]?.needs ?? []) }
            }
            return seen
        }
        for step in steps {
            let available = Template.builtins.union(ancestors(step.id).compactMap { byId[$0]?.check.captures })
            for template in step.templates {
                for variable in template.variables where !available.contains(variable) {
                    let capturers = steps.filter { $0.check.captures == variable }.map(\.id)
                    let advice = capturers.isEmpty
                        ? "no step captures it"
                        : "it is captured by \(capturers.joined(separator: ", ")); add that to needs"
                    throw cursors[step.id]?.error("unknown variable '${\(variable)}' in '\(template.raw)': \(advice)")
                        ?? SpecError(file: "", line: step.line, field: "check", problem: "unknown variable \(variable)")
                }
            }
        }
    }

    /// Steps in file order, but each after everything it needs.
    static func topologicallyOrdered(_ steps: [StepSpec], cursors: [String: YAMLCursor]) throws -> [StepSpec] {
        var placed: Set<String> = []
        var ordered: [StepSpec] = []
        var remaining = steps
        while !remaining.isEmpty {
            guard let index = remaining.firstIndex(where: { $0.needs.allSatisfy(placed.contains) }) else { break }
            let step = remaining.remove(at: index)
            placed.insert(step.id)
            ordered.append(step)
        }
        return ordered
    }

    static func identifier(_ cursor: YAMLCursor) throws -> String {
        let value = try cursor.string()
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
            throw cursor.error("'\(value)' is not a valid id (letters, digits, '-', '_', '.')")
        }
        return value
    }

    static func localized(_ cursor: YAMLCursor) throws -> LocalizedText {
        if case .scalar = cursor.node { return LocalizedText(try cursor.string()) }
        let fields = try cursor.mapping(allowed: ["ko", "en"])
        return LocalizedText(ko: try fields.required("ko", in: cursor).string(), en: try fields.required("en", in: cursor).string())
    }

    static func template(_ cursor: YAMLCursor) throws -> Template {
        do { return try Template(try cursor.string()) } catch let error as TemplateError {
            throw cursor.error(error.problem)
        }
    }

    static func isDigest(_ value: String) -> Bool {
        guard value.hasPrefix("sha256:") else { return false }
        let hex = value.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// The YAML document of `text`; a syntax error, an alias or an empty file is a `SpecError` with its
    /// position. The one compose of the package: specs and lab plans (`LabPlanLoader`) both come here.
    static func compose(_ text: String, file: String) throws -> Node {
        try YAMLAliasGuard.refuseAliases(in: text, file: file)
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw SpecError(file: file, line: 1, field: nil, problem: "the file is empty")
            }
            return node
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        }
    }

    static func yamlError(_ error: YamlError, file: String) -> SpecError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return SpecError(file: file, line: mark.line, column: mark.column, field: nil, problem: "YAML syntax: \(problem)")
        case .composer(_, let problem, let mark, _):
            return SpecError(file: file, line: mark.line, column: mark.column, field: nil, problem: "YAML: \(problem)")
        default:
            return SpecError(file: file, line: nil, field: nil, problem: "YAML: \(error)")
        }
    }
}
