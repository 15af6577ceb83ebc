import Foundation
import LabCheckTestSupport
import Testing

/// fixtures/lab holds the lab's scripts with the lab text's commands: every `aws` and `docker` command
/// of the lab text's code blocks (fixtures/lab/ecr-lab.md) is a command of a script, with only the
/// account, the region and the cache prefix made variables (and the one image digest the lab text
/// names, which is of its author's push).
@Suite("the lab's scripts hold the lab text's commands")
struct LabScriptsTests {
    static let lab = RepositoryFiles.root.appendingPathComponent("fixtures/lab")

    /// The lab text's values and what the scripts write for them, longest first.
    static let variables: [(String, String)] = [
        ("539666729110.dkr.ecr.ap-northeast-1.amazonaws.com", "${ECR_REGISTRY}"),
        ("public-ecr-9641173", "${CACHE_PREFIX}"),
        ("ap-northeast-1", "${AWS_REGION}"),
        ("539666729110", "${ACCOUNT_ID}"),
    ]

    /// Shell lines with `\` continuations joined, comments dropped, blanks collapsed.
    static func commands(_ text: String) -> [String] {
        var commands: [String] = []
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            let continues = line.hasSuffix("\\")
            if continues { line.removeLast() }
            pending += (pending.isEmpty ? "" : " ") + line
            if continues { continue }
            let command = pending.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            pending = ""
            if !command.isEmpty, !command.hasPrefix("#") { commands.append(command) }
        }
        return commands
    }

    /// The contents of the lab text's fenced code blocks.
    static func codeBlocks(_ markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                if let lines = current { blocks.append(lines.joined(separator: "\n")) }
                current = current == nil ? [] : nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// The `.sh` files under fixtures/lab.
    static func scripts() -> [URL] {
        let all = FileManager.default.enumerator(at: lab, includingPropertiesForKeys: nil)?.allObjects.compactMap { $0 as? URL } ?? []
        return all.filter { $0.pathExtension == "sh" }
    }

    static func parameterised(_ command: String) throws -> String {
        var text = command
        for (value, variable) in variables { text = text.replacingOccurrences(of: value, with: variable) }
        return text.replacing(try Regex("imageDigest=sha256:[0-9a-f]{64}"), with: "imageDigest=${digest}")
    }

    @Test("every aws and docker command of the lab text is in a script, only account, region and prefix made variables")
    func everyCommandIsInAScript() throws {
        let text = try String(contentsOf: Self.lab.appendingPathComponent("ecr-lab.md"), encoding: .utf8)
        let labCommands = try Self.codeBlocks(text).flatMap(Self.commands)
            .filter { $0.hasPrefix("aws ") || $0.hasPrefix("docker ") }
            .map(Self.parameterised)
        #expect(labCommands.count >= 20, "found only \(labCommands.count) commands in the lab text")
        var scriptCommands: Set<String> = []
        for url in Self.scripts() {
            scriptCommands.formUnion(Self.commands(try String(contentsOf: url, encoding: .utf8)))
        }
        for command in labCommands {
            let found = scriptCommands.contains(command)
            #expect(found, "no script of fixtures/lab runs: \(command)")
        }
    }

    @Test("the scripts run docker and aws by their own names: no shim, no rewritten host")
    func scriptsCallTheRealClients() throws {
        for url in Self.scripts() {
            for command in Self.commands(try String(contentsOf: url, encoding: .utf8)) where command.contains("docker ") {
                #expect(!command.contains("127.0.0."), "\(url.lastPathComponent): \(command)")
                #expect(!command.contains("podman"), "\(url.lastPathComponent): \(command)")
            }
        }
    }

    @Test("fixtures/lab/policies holds the lab text's two policies of 필수 IAM 권한 (pull, then push), as JSON equal to the text's")
    func policiesAreTheLabTexts() throws {
        let text = try String(contentsOf: Self.lab.appendingPathComponent("ecr-lab.md"), encoding: .utf8)
        let section = try #require(text.range(of: "### 필수 IAM 권한").map { text[$0.lowerBound...] })
        let end = section.range(of: "\n### ").map { section[..<$0.lowerBound] } ?? section
        let documents = Self.codeBlocks(String(end)).compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSDictionary }
        #expect(documents.count == 2, "the lab text's section holds the pull and the push policy")
        let files = ["required-iam-permissions-1-image-pull.json", "required-iam-permissions-2-image-push.json"]
        for (file, document) in zip(files, documents) {
            let data = try Data(contentsOf: Self.lab.appendingPathComponent("policies/" + file))
            let fixture = try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary, "\(file) is not a JSON object")
            #expect(fixture == document, "\(file) differs from the lab text's policy")
        }
    }
}
