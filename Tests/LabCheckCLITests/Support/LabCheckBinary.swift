import Foundation
import LabCheckTestSupport

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

/// Output collected on another thread; read only after the DispatchGroup wait.
private final class OutputBox: @unchecked Sendable {
    var data = Data()
}
