import Foundation

/// Programs a command needs on PATH.
enum ToolCheck {
    static func require(_ tools: [String]) throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let missing = tools.filter { tool in
            if tool.contains("/") { return !FileManager.default.isExecutableFile(atPath: tool) }
            return !path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
        guard missing.isEmpty else {
            let hints = missing.map { tool -> String in
                switch tool {
                case "aws": "aws (pip install awscli)"
                case "podman": "podman (apt-get install podman)"
                default: tool
                }
            }
            throw CLIError.couldNotEvaluate("verify-lab needs \(hints.joined(separator: ", ")) on PATH")
        }
    }
}
