import Foundation
import LabCheckTestSupport

/// A `fake-ecr serve` process started from the built binary (found by `BuiltProduct`).
final class FakeECRProcess: @unchecked Sendable {
    /// The package root.
    static var packageRoot: URL { RepositoryFiles.root }

    struct Failure: Error, CustomStringConvertible { var description: String }

    let process = Process()
    let output: URL
    let errors: URL
    private(set) var endpoint = ""

    init(arguments: [String]) throws {
        let binary = try BuiltProduct.require("fake-ecr")
        let directory = FileManager.default.temporaryDirectory
        output = directory.appendingPathComponent("fake-ecr-\(UUID().uuidString).out")
        errors = directory.appendingPathComponent("fake-ecr-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = binary
        process.arguments = ["serve"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
    }

    /// Starts the process and waits for its "listening on" line.
    func start(timeout: TimeInterval = 30) async throws {
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on ") {
                endpoint = String(text[range.upperBound...].prefix { !$0.isNewline })
                return
            }
            if !process.isRunning {
                throw Failure(description: "fake-ecr exited with \(process.terminationStatus): \(stderrText)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(description: "fake-ecr did not print its URL within \(timeout) s: \(stderrText)")
    }

    var stderrText: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: output)
        try? FileManager.default.removeItem(at: errors)
    }
}
