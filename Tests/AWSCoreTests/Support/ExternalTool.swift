import Foundation

/// External programs some tests drive (aws CLI, moto_server, …). A test that needs one is skipped, with
/// the reason, when it is missing, unless LABCHECK_REQUIRE_TOOLS=1 makes a missing tool a failure.
enum ExternalTool {
    static var required: Bool { ProcessInfo.processInfo.environment["LABCHECK_REQUIRE_TOOLS"] == "1" }

    /// The full path of `name` on PATH, if any.
    static func path(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for directory in paths {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func available(_ name: String) -> Bool { path(name) != nil }

    /// Enabled when the tool is there, or when tools are required (the test then fails in `require`).
    static func enabled(_ name: String) -> Bool { available(name) || required }

    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is required (LABCHECK_REQUIRE_TOOLS=1) but not on PATH" }
    }

    @discardableResult
    static func require(_ name: String) throws -> String {
        guard let path = path(name) else { throw Missing(name: name) }
        return path
    }
}

/// Runs a program to completion and returns its exit status and output.
struct ProcessResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> ProcessResult {
    try await offPool { try runProcessBlocking(executable, arguments, environment: environment) }
}

func runProcessBlocking(_ executable: String, _ arguments: [String], environment: [String: String]?) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let group = DispatchGroup()
    let collected = Collected()
    group.enter()
    DispatchQueue.global().async { collected.stdout = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let stdout = collected.stdout
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
}

/// A free TCP port on 127.0.0.1 (bind to 0, read it, close).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Standard output read on another thread; read after the group wait.
private final class Collected: @unchecked Sendable {
    var stdout = Data()
}
