import Foundation
import Yams

/// Reads a `LabPlan` (`fixtures/lab/stages.yaml`) and checks it against the lab folder: ids,
/// scores between 0 and 100, and script paths that stay inside the folder and exist. Problems are
/// reported as `file:line:column: field: what is wrong`, like the spec's.
public enum LabPlanLoader {
    public static func load(contentsOf url: URL, labDirectory: URL) throws -> LabPlan {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SpecError(file: url.path, line: nil, field: nil, problem: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, file: url.path, labDirectory: labDirectory)
    }

    /// `labDirectory` nil skips the check that scripts exist.
    public static func parse(_ text: String, file: String, labDirectory: URL?) throws -> LabPlan {
        let root = try SpecLoader.compose(text, file: file)
        let rootCursor = YAMLCursor(node: root, file: file, path: "")
        let top = try rootCursor.mapping(allowed: ["schemaVersion", "lab", "stages"])
        let versionCursor = try top.required("schemaVersion", in: rootCursor)
        let version = try versionCursor.int()
        guard LabPlan.supportedSchemaVersions.contains(version) else {
            throw versionCursor.error("unsupported schemaVersion \(version); this labcheck reads 1")
        }
        let labId = try SpecLoader.identifier(top.required("lab", in: rootCursor))
        let stagesCursor = try top.required("stages", in: rootCursor)
        let stageCursors = try stagesCursor.list()
        if stageCursors.isEmpty { throw stagesCursor.error("a plan needs at least one stage") }
        var stages: [LabPlan.Stage] = []
        for cursor in stageCursors {
            let stage = try parseStage(cursor, labDirectory: labDirectory)
            if let previous = stages.first(where: { $0.id == stage.id }) {
                throw cursor.error("duplicate stage id '\(stage.id)' (first defined at line \(previous.line))")
            }
            stages.append(stage)
        }
        return LabPlan(schemaVersion: version, labId: labId, stages: stages, source: file)
    }

    static func parseStage(_ cursor: YAMLCursor, labDirectory: URL?) throws -> LabPlan.Stage {
        let fields = try cursor.mapping(allowed: ["id", "title", "scripts", "score"])
        let id = try SpecLoader.identifier(fields.required("id", in: cursor))
        let title = try fields["title"]?.string() ?? id
        let scriptsCursor = try fields.required("scripts", in: cursor)
        let scriptCursors = try scriptsCursor.list()
        if scriptCursors.isEmpty { throw scriptsCursor.error("a stage needs at least one script") }
        let scripts = try scriptCursors.map { try scriptPath($0, labDirectory: labDirectory) }
        let scoreCursor = try fields.required("score", in: cursor)
        guard case .scalar(let scalar) = scoreCursor.node, let score = Double(scalar.string), (0...100).contains(score) else {
            throw scoreCursor.error("expected a percentage from 0 to 100, found \(scoreCursor.describeValue)")
        }
        return LabPlan.Stage(id: id, title: title, scripts: scripts, score: score, line: (cursor.node.mark?.line ?? 0))
    }

    /// A relative path without `..` that names a file in the lab folder.
    static func scriptPath(_ cursor: YAMLCursor, labDirectory: URL?) throws -> String {
        let path = try cursor.string()
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !components.contains(".."), !components.contains("") else {
            throw cursor.error("'\(path)' must be a path relative to the lab folder, without '..' or empty parts")
        }
        if let labDirectory {
            let url = labDirectory.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw cursor.error("no script '\(path)' in \(labDirectory.path)")
            }
        }
        return path
    }
}
