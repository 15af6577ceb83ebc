import AWSCore
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The one child-process runner: output, status, environment and folder; the deadline and a
/// cancellation kill the whole process group.
@Suite("ChildProcess runner")
struct ChildProcessTests {
    /// True while a process with this pid exists (zombies included).
    static func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("childprocess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("stdout, stderr and the exit status are captured apart; env and working folder are the child's")
    func capturesOutputStatusEnvironmentAndFolder() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await ChildProcess(
            arguments: ["sh", "-c", #"echo "out $GREETING"; pwd; echo err >&2; exit 3"#],
            environment: ["GREETING": "hello", "PATH": "/usr/bin:/bin"], workingDirectory: folder, timeout: 30
        ).run()
        #expect(result.status == 3)
        #expect(result.signal == nil)
        #expect(!result.timedOut)
        #expect(!result.succeeded)
        let lines = result.standardOutputText.split(separator: "\n").map(String.init)
        #expect(lines.first == "out hello")
        #expect(lines.last.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } == folder.resolvingSymlinksInPath().path)
        #expect(result.standardErrorText == "err\n")
        #expect(result.duration >= 0 && result.duration < 30)
    }

    @Test("merged output keeps the order written; only the last bytes are kept")
    func mergedAndTail() async throws {
        let merged = try await ChildProcess(
            arguments: ["/bin/sh", "-c", "echo one; echo two >&2; echo three"], timeout: 30, mergeStandardError: true
        ).run()
        #expect(merged.succeeded)
        #expect(merged.standardOutputText == "one\ntwo\nthree\n")
        #expect(merged.standardError.isEmpty)

        let tail = try await ChildProcess(
            arguments: ["/bin/sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a; printf END"], timeout: 30, outputLimit: 100
        ).run()
        #expect(tail.standardOutput.count == 100)
        #expect(tail.standardOutputText.hasSuffix("aaaEND"))
    }

    @Test("at the deadline the whole process group is killed, grandchildren included")
    func timeoutKillsTheProcessGroup() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("grandchild.pid")
        let launched = Mutex<Int32>(0)
        let finished = Mutex<Int32>(0)
        // The script starts a grandchild that would outlive it, then hangs itself.
        let result = try await ChildProcess(
            arguments: ["/bin/sh", "-c", "sleep 300 & echo $! > '\(pidFile.path)'; echo started; sleep 300"],
            timeout: 1, onLaunch: { pid in launched.withLock { $0 = pid } }, onFinish: { pid in finished.withLock { $0 = pid } }
        ).run()
        #expect(result.timedOut)
        #expect(!result.succeeded)
        #expect(result.signal == SIGKILL)
        #expect(result.status == 128 + SIGKILL)
        #expect(result.standardOutputText == "started\n")
        #expect(result.duration >= 1 && result.duration < 20)
        let child = launched.withLock { $0 }
        #expect(child > 0)
        #expect(finished.withLock { $0 } == child)
        let grandchild = try #require(Int32(try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Killed with its group; give the kernel a moment to reap it (its parent is gone, init reaps it).
        var waited = 0
        while Self.alive(grandchild), waited < 100 {
            try await Task.sleep(nanoseconds: 50_000_000)
            waited += 1
        }
        #expect(!Self.alive(grandchild), "grandchild \(grandchild) survived the timeout")
    }

    @Test("cancelling the awaiting task kills the process group")
    func cancellationKills() async throws {
        let started = ContinuousClock.now
        let task = Task { try await ChildProcess(arguments: ["/bin/sh", "-c", "sleep 300"], timeout: 300).run() }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        let result = try await task.value
        #expect(result.signal == SIGKILL)
        // Far below the command's 300 s: it was killed, not waited for (a loaded machine took 29 s to spawn and reap it).
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test("a program that does not exist is a launch error or exit 127, never a hang")
    func missingProgram() async throws {
        do {
            let result = try await ChildProcess(arguments: ["/nonexistent/program"], timeout: 30).run()
            Issue.record("expected a launch error, got \(result)")
        } catch let error as ChildProcess.LaunchError {
            #expect(error.description.hasPrefix("could not start /nonexistent/program"))
        }
        let viaPath = try await ChildProcess(arguments: ["no-such-program-labcheck"], environment: ["PATH": "/usr/bin:/bin"], timeout: 30).run()
        #expect(viaPath.status == 127)
    }
}
