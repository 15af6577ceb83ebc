import Foundation
import LabCheckTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `labcheck` executable (it sits beside the test bundle) as a user would.
enum LabCheckBinary {
    /// The built program; an error naming where it was looked for when it is not built.
    static func url() throws -> URL { try BuiltProduct.require("labcheck") }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A clean environment: no AWS settings from the machine, no IMDS, no colours; `extra` on top.
    static func environment(_ extra: [String: String] = [:], home: URL) -> [String: String] {
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path, "LANG": "C.UTF-8", "NO_COLOR": "1",
            "AWS_CONFIG_FILE": home.appendingPathComponent("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": home.appendingPathComponent("credentials").path,
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// `via` runs the program through another (`["/usr/bin/setpriv", "--reuid=65534", …, "--"]`).
    static func run(_ arguments: [String], environment: [String: String], in directory: URL = RepositoryFiles.root, via: [String] = []) async throws -> Run {
        let process = try makeProcess(arguments, environment: environment, in: directory, via: via)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        // Read both pipes off the cooperative pool so a chatty child can never block on a full pipe.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    try process.run()
                    let group = DispatchGroup()
                    let stdout = OutputBox()
                    group.enter()
                    DispatchQueue.global().async { stdout.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
                    let stderr = err.fileHandleForReading.readDataToEndOfFile()
                    group.wait()
                    process.waitUntilExit()
                    continuation.resume(returning: Run(status: process.terminationStatus,
                                                       stdout: String(decoding: stdout.data, as: UTF8.self),
                                                       stderr: String(decoding: stderr, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

extension LabCheckBinary {
    /// The program set up to run (not started), directly or through `via`.
    static func makeProcess(_ arguments: [String], environment: [String: String], in directory: URL, via: [String]) throws -> Process {
        let process = Process()
        if let launcher = via.first {
            process.executableURL = URL(fileURLWithPath: launcher)
            process.arguments = Array(via.dropFirst()) + [try url().path] + arguments
        } else {
            process.executableURL = try url()
            process.arguments = arguments
        }
        process.environment = environment
        process.currentDirectoryURL = directory
        return process
    }

    /// Starts the program in the background (standard input empty, output into files of `directory`),
    /// for a test that reads its output while it runs and stops it mid-way (`watch`).
    static func start(_ arguments: [String], environment: [String: String], in directory: URL) throws -> Running {
        let process = try makeProcess(arguments, environment: environment, in: directory, via: [])
        let name = "labcheck-\(UUID().uuidString)"
        let outURL = directory.appendingPathComponent(name + ".out"), errURL = directory.appendingPathComponent(name + ".err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, outURL: outURL, errURL: errURL)
    }

    /// A `labcheck` started by `start`: its output so far, signals, and its end.
    final class Running: @unchecked Sendable {
        let process: Process
        let outURL: URL
        let errURL: URL

        init(process: Process, outURL: URL, errURL: URL) {
            self.process = process
            self.outURL = outURL
            self.errURL = errURL
        }

        /// Standard output so far.
        var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
        /// Standard error so far.
        var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
        var isRunning: Bool { process.isRunning }

        func signal(_ number: Int32) {
            if process.isRunning { kill(process.processIdentifier, number) }
        }

        /// Waits (off the cooperative pool) up to `timeout` for the program to end, then SIGKILLs it;
        /// its status and whole output, `timedOut` when it had to be killed.
        func wait(timeout: TimeInterval = 60) async throws -> (run: Run, timedOut: Bool) {
            let process = self.process
            let timedOut = try await offPool {
                let ended = eventuallyBlocking(timeout: timeout) { !process.isRunning }
                if !ended { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                return !ended
            }
            return (Run(status: process.terminationStatus, stdout: stdout, stderr: stderr), timedOut)
        }

        /// Kills the program if it still runs (a test's cleanup) and removes its output files.
        func discard() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
    }
}

/// Output collected on another thread; read only after the DispatchGroup wait.
private final class OutputBox: @unchecked Sendable {
    var data = Data()
}
