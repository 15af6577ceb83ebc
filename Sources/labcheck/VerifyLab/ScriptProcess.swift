import AWSCore
import Foundation

/// One lab script run to its end with a deadline, through AWSCore's `ChildProcess`: standard output and
/// error merged in the order written (as a terminal shows them), the last 64 KiB kept. The script runs in
/// a process group of its own, which the deadline and an interrupt (`InterruptCleanup`) end as a whole:
/// the script's podman and aws children go with it.
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
        let child = ChildProcess(
            arguments: arguments, environment: environment, workingDirectory: directory, timeout: timeout,
            mergeStandardError: true, outputLimit: keepBytes,
            onLaunch: { InterruptCleanup.shared.track(processGroup: $0) },
            onFinish: { InterruptCleanup.shared.forget(processGroup: $0) })
        let result = try await child.run()
        return Result(status: result.status, timedOut: result.timedOut, output: result.standardOutputText, seconds: result.duration)
    }
}
