import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One child process run to its end with a deadline: the one runner of the package (`credential_process`,
/// verify-lab's scripts).
///
/// The child starts in a process group of its own, so at the deadline (or when the awaiting task is
/// cancelled) the whole group is killed with SIGKILL: a script's own children (podman, aws) go with it.
/// Standard output and error are read concurrently on Dispatch threads (a chatty child never blocks on a
/// full pipe, and the cooperative pool is never blocked); only the last `outputLimit` bytes of each are kept.
public struct ChildProcess: Sendable {
    /// The program and its arguments. A first element without a `/` is looked up on the child's `PATH`.
    public var arguments: [String]
    /// The child's whole environment; `nil` inherits this process's.
    public var environment: [String: String]?
    /// The child's working directory; `nil` keeps this process's.
    public var workingDirectory: URL?
    /// Seconds before the process group is killed.
    public var timeout: TimeInterval
    /// Standard error goes into `standardOutput`, interleaved in the order written (as a terminal shows it).
    public var mergeStandardError: Bool
    /// How many trailing bytes of each stream are kept.
    public var outputLimit: Int
    /// Called with the child's process group id once it runs, and again (`onFinish`) once it is over;
    /// e.g. to end the group on SIGINT.
    public var onLaunch: (@Sendable (Int32) -> Void)?
    public var onFinish: (@Sendable (Int32) -> Void)?

    public init(
        arguments: [String], environment: [String: String]? = nil, workingDirectory: URL? = nil, timeout: TimeInterval,
        mergeStandardError: Bool = false, outputLimit: Int = 1 << 20,
        onLaunch: (@Sendable (Int32) -> Void)? = nil, onFinish: (@Sendable (Int32) -> Void)? = nil
    ) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.mergeStandardError = mergeStandardError
        self.outputLimit = max(1, outputLimit)
        self.onLaunch = onLaunch
        self.onFinish = onFinish
    }

    /// How a run ended.
    public struct Result: Sendable, Equatable {
        /// The exit code, or 128 + the signal number when a signal ended the process (as a shell reports it).
        public var status: Int32
        /// The signal that ended the process, if one did.
        public var signal: Int32?
        public var standardOutput: Data
        /// Empty when `mergeStandardError` was set.
        public var standardError: Data
        /// The deadline passed and the process group was killed.
        public var timedOut: Bool
        /// Seconds from launch to the end of both streams.
        public var duration: TimeInterval

        public var succeeded: Bool { status == 0 && !timedOut }
        public var standardOutputText: String { String(decoding: standardOutput, as: UTF8.self) }
        public var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }
    }

    /// The process could not be started.
    public struct LaunchError: Error, Sendable, CustomStringConvertible {
        public var program: String
        public var reason: String
        public var description: String { "could not start \(program): \(reason)" }
    }

    /// Runs the process to its end, or until the deadline or cancellation kills its group.
    public func run() async throws -> Result {
        guard let program = arguments.first, !program.isEmpty else {
            throw LaunchError(program: "(nothing)", reason: "no program given")
        }
        let execution = Execution(self)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                execution.start(program: program, continuation: continuation)
            }
        } onCancel: {
            execution.killGroup()
        }
    }
}

/// The state of one run, shared by the launching code, the pipe readers, the timer and a cancellation.
private final class Execution: Sendable {
    private struct State {
        var pid: Int32 = 0
        var ownGroup = false
        var exited = false
        var status: Int32 = 0
        var bySignal = false
        var timedOut = false
        var killRequested = false
    }

    private let spec: ChildProcess
    private let state = Mutex(State())
    private let output: TailBuffer
    private let errors: TailBuffer

    init(_ spec: ChildProcess) {
        self.spec = spec
        output = TailBuffer(limit: spec.outputLimit)
        errors = TailBuffer(limit: spec.outputLimit)
    }

    func start(program: String, continuation: CheckedContinuation<ChildProcess.Result, any Error>) {
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(spec.arguments.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = spec.arguments
        }
        if let environment = spec.environment { process.environment = environment }
        if let directory = spec.workingDirectory { process.currentDirectoryURL = directory }
        let outPipe = Pipe()
        let errPipe = spec.mergeStandardError ? outPipe : Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice

        let finished = DispatchGroup()
        finished.enter()
        // Foundation keeps a running Process alive until this handler has run.
        process.terminationHandler = { [self] ended in
            let status = ended.terminationStatus
            let bySignal = ended.terminationReason == .uncaughtSignal
            state.withLock { state in
                state.exited = true
                state.status = status
                state.bySignal = bySignal
            }
            finished.leave()
        }
        let started = ContinuousClock.now
        do {
            try process.run()
        } catch {
            continuation.resume(throwing: ChildProcess.LaunchError(program: program, reason: error.localizedDescription))
            return
        }
        let pid = process.processIdentifier
        // Foundation starts the child as the leader of a new process group; check rather than assume.
        let ownGroup = getpgid(pid) == pid
        let cancelledEarly = state.withLock { state -> Bool in
            state.pid = pid
            state.ownGroup = ownGroup
            return state.killRequested
        }
        spec.onLaunch?(pid)
        if cancelledEarly { killGroup() }

        // The parent's copies of the write ends must close, or the readers never see end of file.
        try? outPipe.fileHandleForWriting.close()
        if !spec.mergeStandardError { try? errPipe.fileHandleForWriting.close() }
        read(outPipe.fileHandleForReading, into: output, group: finished)
        if !spec.mergeStandardError { read(errPipe.fileHandleForReading, into: errors, group: finished) }

        let timer = DispatchWorkItem { [self] in
            state.withLock { $0.timedOut = true }
            killGroup()
        }
        // Clamped: DispatchTime traps on a nanosecond count beyond Int64.
        DispatchQueue.global().asyncAfter(deadline: .now() + min(max(0, spec.timeout), 365 * 86_400), execute: timer)

        finished.notify(queue: .global()) { [self, spec] in
            timer.cancel()
            let duration = ContinuousClock.now - started
            let (timedOut, bySignal, code) = state.withLock { ($0.timedOut, $0.bySignal, $0.status) }
            spec.onFinish?(pid)
            continuation.resume(returning: ChildProcess.Result(
                status: bySignal ? 128 + code : code, signal: bySignal ? code : nil,
                standardOutput: output.data, standardError: errors.data, timedOut: timedOut,
                duration: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18))
        }
    }

    private func read(_ handle: FileHandle, into buffer: TailBuffer, group: DispatchGroup) {
        group.enter()
        DispatchQueue.global().async {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
            }
            try? handle.close()
            group.leave()
        }
    }

    /// SIGKILL to the child's process group (or the child alone if it has no group of its own).
    func killGroup() {
        state.withLock { state in
            state.killRequested = true
            guard state.pid > 0 else { return }
            if state.ownGroup {
                // A group outlives its leader while members remain, and its id is not reused meanwhile.
                kill(-state.pid, SIGKILL)
            } else if !state.exited {
                kill(state.pid, SIGKILL)
            }
        }
    }
}

/// The last `limit` bytes written to a stream.
private final class TailBuffer: Sendable {
    private let limit: Int
    private let storage = Mutex(Data())

    init(limit: Int) { self.limit = limit }

    func append(_ chunk: Data) {
        storage.withLock { data in
            data.append(chunk)
            if data.count > limit * 2 { data = Data(data.suffix(limit)) }
        }
    }

    var data: Data { storage.withLock { Data($0.suffix(limit)) } }
}
