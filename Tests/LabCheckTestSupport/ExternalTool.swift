import Foundation

/// External programs some tests drive (the AWS CLI, boto3, moto_server, xmllint, skopeo, podman,
/// umoci, docker-registry, chromium, tmux). A test that needs one is skipped, with the reason, when it is
/// missing, unless `LABCHECK_REQUIRE_TOOLS=1` (set by `.ci/run`) makes a missing tool a failure.
public enum ExternalTool {
    /// True when missing tools must fail tests instead of skipping them.
    public static var required: Bool { ProcessInfo.processInfo.environment["LABCHECK_REQUIRE_TOOLS"] == "1" }

    /// The full path of `name` on PATH, if any.
    public static func path(_ name: String) -> String? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether `name` is usable: an executable on PATH, or for "boto3" a python3 that imports it.
    public static func available(_ name: String) -> Bool {
        if name == "boto3" {
            guard let python = path("python3") else { return false }
            return (try? runBlocking(python, ["-c", "import boto3"]).status) == 0
        }
        return path(name) != nil
    }

    /// Enabled when the tool is there, or when tools are required (the test then fails in `require`).
    public static func enabled(_ name: String) -> Bool { available(name) || required }

    /// A missing tool, with how to install it.
    public struct Missing: Error, CustomStringConvertible {
        public var name: String
        public init(name: String) { self.name = name }
        public var description: String {
            let install = Self.installHints[name].map { " (\($0))" } ?? ""
            return "\(name) is required (LABCHECK_REQUIRE_TOOLS=1) but not installed\(install)"
        }

        static let installHints = [
            "aws": "pip install awscli", "boto3": "pip install boto3", "moto_server": "pip install 'moto[server]'",
            "xmllint": "apt-get install libxml2-utils", "skopeo": "apt-get install skopeo", "podman": "apt-get install podman",
            "umoci": "apt-get install umoci", "docker-registry": "apt-get install docker-registry", "chromium": "apt-get install chromium",
            "docker": "apt-get install docker.io", "dockerd": "apt-get install docker.io", "unshare": "apt-get install util-linux",
            "tmux": "apt-get install tmux",
        ]
    }

    /// The tool's path ("boto3": python3's), or `Missing`.
    @discardableResult
    public static func require(_ name: String) throws -> String {
        guard available(name), let path = path(name == "boto3" ? "python3" : name) else { throw Missing(name: name) }
        return path
    }

    /// Runs a tool (a name on PATH or a path) to completion on a thread of its own; its exit status
    /// and combined output.
    public static func run(_ tool: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let path = tool.contains("/") ? tool : try require(tool)
        return try await offPool { try runBlocking(path, arguments) }
    }

    /// `run` on the calling thread: for short tools only (xmllint), never from the cooperative pool under load.
    public static func runBlocking(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try BoundedProcess.runBlocking([path] + arguments, environment: [:], input: nil, timeout: 120)
        return (result.status, result.output + result.errors)
    }
}
