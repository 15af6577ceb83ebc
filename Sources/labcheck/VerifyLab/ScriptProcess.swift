import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs one program to its end with a deadline, its standard output and error merged in the order
/// written (as a terminal shows them). The waiting happens on a Dispatch thread, never on the
/// cooperative pool.
struct ScriptProcess {
    var arguments: [String]
    var environment: [String: String]
    var directory: URL
    var timeout: TimeInterval
    /// Only the last part of the output is kept.
    var keepBytes = 64 * 1024

    struct Result: Sendable {
        var status: Int32
        var timedOut: Bool
        var output: String
        var seconds: Double
    }

    func run() async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        // Foundation starts the child in a process group of its own (its pid), which the timer and
        // an interrupt end as a whole: the script's podman and aws children go with it.
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let keep = keepBytes
        let deadline = timeout
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let started = Date()
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let group = process.processIdentifier
                InterruptCleanup.shared.track(processGroup: group)
                defer { InterruptCleanup.shared.forget(processGroup: group) }
                let timer = DispatchWorkItem {
                    // The whole process group: a script's children (podman, aws) go too.
                    if process.isRunning { kill(-process.processIdentifier, SIGKILL); process.terminate() }
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + deadline, execute: timer)
                var collected = Data()
                let reader = pipe.fileHandleForReading
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    collected.append(chunk)
                    if collected.count > keep * 2 { collected = collected.suffix(keep) }
                }
                process.waitUntilExit()
                timer.cancel()
                let seconds = Date().timeIntervalSince(started)
                let timedOut = process.terminationReason == .uncaughtSignal && seconds >= deadline
                let text = String(decoding: collected.suffix(keep), as: UTF8.self)
                continuation.resume(returning: Result(status: process.terminationStatus, timedOut: timedOut, output: text, seconds: seconds))
            }
        }
    }
}
