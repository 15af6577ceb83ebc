import Foundation

/// External programs some tests need (e.g. `xmllint` from Debian's libxml2-utils).
/// A test needing one is skipped when it is missing, unless `LABCHECK_REQUIRE_TOOLS=1`,
/// where a missing tool fails the test.
enum ExternalTool {
    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String {
            "required tool '\(name)' is not on PATH (LABCHECK_REQUIRE_TOOLS=1); install it (xmllint: apt-get install libxml2-utils)"
        }
    }

    /// The tool's full path, searching PATH.
    static func path(_ name: String) -> String? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func available(_ name: String) -> Bool {
        path(name) != nil
    }

    /// True when missing tools must fail tests instead of skipping them.
    static var required: Bool {
        ProcessInfo.processInfo.environment["LABCHECK_REQUIRE_TOOLS"] == "1"
    }

    /// The tool's path, or an error naming it.
    @discardableResult
    static func require(_ name: String) throws -> String {
        guard let path = path(name) else { throw Missing(name: name) }
        return path
    }

    /// Runs the tool; returns its exit status and combined output.
    static func run(_ name: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let path = try require(name)
        return try await offPool { try runBlocking(path, arguments) }
    }

    static func runBlocking(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
