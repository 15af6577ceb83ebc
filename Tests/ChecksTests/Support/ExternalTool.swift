import Foundation

/// External programs some tests use (xmllint). A missing one skips that check, unless
/// LABCHECK_REQUIRE_TOOLS=1 makes it a failure.
enum ExternalTool {
    static var required: Bool { ProcessInfo.processInfo.environment["LABCHECK_REQUIRE_TOOLS"] == "1" }

    static func path(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func available(_ name: String) -> Bool { path(name) != nil }

    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is required (LABCHECK_REQUIRE_TOOLS=1) but not on PATH" }
    }

    static func require(_ name: String) throws -> String {
        guard let path = path(name) else { throw Missing(name: name) }
        return path
    }

    /// Runs a short-lived tool to completion (combined output).
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

    /// `runBlocking` on a Dispatch thread, so the cooperative pool never waits on the child.
    static func run(_ path: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(path, arguments) })
            }
        }
    }
}
