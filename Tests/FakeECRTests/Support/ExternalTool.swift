import Foundation

/// External programs some tests drive (the AWS CLI, python3 with boto3). Missing ones skip
/// those tests, unless LABCHECK_REQUIRE_TOOLS=1 makes a missing tool a failure.
enum ExternalTool {
    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is required (LABCHECK_REQUIRE_TOOLS=1) but not installed" }
    }

    static var required: Bool { ProcessInfo.processInfo.environment["LABCHECK_REQUIRE_TOOLS"] == "1" }

    /// Whether `name` is usable: an executable on PATH, or "boto3" importable by python3.
    static func available(_ name: String) -> Bool {
        if name == "boto3" {
            return runBlocking(["python3", "-c", "import boto3"]) == 0
        }
        return path(of: name) != nil
    }

    static func require(_ name: String) throws {
        guard available(name) else { throw Missing(name: name) }
    }

    static func path(of name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in paths {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ arguments: [String]) async -> Int32 {
        (try? await offPool { runBlocking(arguments) }) ?? -1
    }

    static func runBlocking(_ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        } catch {
            return -1
        }
    }
}
