import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs an external program (through `/usr/bin/env`, so a name is looked up on PATH) with a bounded
/// wait: SIGTERM at the deadline, SIGKILL 5 s later. Output goes to files, so a chatty child never
/// blocks on a full pipe; `environment` is added to this process's.
public enum BoundedProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
        public var timedOut: Bool
        public var summary: String { "exit \(status)\(timedOut ? " (timed out)" : "")\nstdout: \(output)\nstderr: \(errors)" }
    }

    public static func run(
        _ arguments: [String], environment: [String: String] = [:], input: String? = nil, timeout: TimeInterval = 120
    ) async throws -> Result {
        try await offPool { try runBlocking(arguments, environment: environment, input: input, timeout: timeout) }
    }

    public static func runBlocking(
        _ arguments: [String], environment: [String: String], input: String?, timeout: TimeInterval
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("tool-\(UUID().uuidString).out")
        let errURL = directory.appendingPathComponent("tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let pipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : pipe
        try process.run()
        if let input {
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try? pipe.fileHandleForWriting.close()
        }
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning {
            timedOut = true
            process.terminate()
            let killAt = Date().addingTimeInterval(5)
            while process.isRunning, Date() < killAt { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, output: output, errors: errors, timedOut: timedOut)
    }
}
