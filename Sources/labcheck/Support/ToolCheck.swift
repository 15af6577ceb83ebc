import Foundation

/// The external programs a command runs, looked up on PATH before it starts.
enum ToolCheck {
    /// `tool`'s path: itself when it names a path, else the first executable of that name on PATH.
    static func resolve(_ tool: String) -> String? {
        if tool.contains("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func require(_ tools: [String]) throws {
        let missing = tools.filter { resolve($0) == nil }
        guard missing.isEmpty else {
            let hints = missing.map { tool -> String in
                switch tool {
                case "aws": "aws (pip install awscli)"
                case "podman": "podman (apt-get install podman)"
                case "docker", "dockerd": "\(tool) (apt-get install docker.io)"
                case "unshare": "unshare (apt-get install util-linux)"
                default: tool
                }
            }
            throw CLIError.couldNotEvaluate("verify-lab needs \(hints.joined(separator: ", ")) on PATH")
        }
    }
}
