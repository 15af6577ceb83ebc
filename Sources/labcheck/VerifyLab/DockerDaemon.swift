import AWSCore
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The run's own `dockerd`, started inside the run's namespace with everything under the sandbox
/// (data root, exec root, socket, an empty daemon.json), vfs storage and no bridge or iptables: the
/// machine's daemon, its socket and its images are never used. Stopped with the run; on SIGINT or
/// SIGTERM `InterruptCleanup` ends its process group (containerd, which it starts, dies with it).
final class DockerDaemon: Sendable {
    let socket: URL
    let docker: String
    private let task: Task<ChildProcess.Result, any Error>
    private let state: State

    /// What the child's callbacks and task report.
    private final class State: Sendable {
        let processGroup = Mutex<pid_t?>(nil)
        let ended = Mutex<ChildProcess.Result?>(nil)
    }

    private init(socket: URL, docker: String, task: Task<ChildProcess.Result, any Error>, state: State) {
        self.socket = socket
        self.docker = docker
        self.task = task
        self.state = state
    }

    /// The client's environment: this daemon's socket.
    var host: String { "unix://" + socket.path }

    /// The arguments of `dockerd` for a sandbox at `root`.
    static func arguments(dockerd: String, root: URL) -> [String] {
        [dockerd, "--storage-driver", "vfs", "--bridge=none", "--iptables=false", "--ip6tables=false",
         "--data-root", root.appendingPathComponent("docker-data").path, "--exec-root", root.appendingPathComponent("docker-exec").path,
         "--pidfile", root.appendingPathComponent("docker.pid").path, "--config-file", root.appendingPathComponent("etc/docker/daemon.json").path,
         "--host", "unix://" + root.appendingPathComponent("docker.sock").path]
    }

    /// Starts dockerd and returns once it answers `docker version` (at most `readyWithin` seconds).
    static func start(dockerd: String, docker: String, root: URL, path: String, readyWithin: TimeInterval = 60) async throws -> DockerDaemon {
        let socket = root.appendingPathComponent("docker.sock")
        let state = State()
        let child = ChildProcess(
            arguments: arguments(dockerd: dockerd, root: root), environment: ["PATH": path, "HOME": root.appendingPathComponent("home").path],
            workingDirectory: root, timeout: 7 * 86_400, mergeStandardError: true, outputLimit: 256 * 1024,
            onLaunch: { pgid in
                state.processGroup.withLock { $0 = pgid }
                InterruptCleanup.shared.track(processGroup: pgid)
            },
            onFinish: { InterruptCleanup.shared.forget(processGroup: $0) })
        let task = Task {
            let result = try await child.run()
            state.ended.withLock { $0 = result }
            return result
        }
        let daemon = DockerDaemon(socket: socket, docker: docker, task: task, state: state)
        let deadline = Date().addingTimeInterval(readyWithin)
        while Date() < deadline {
            if let ended = state.ended.withLock({ $0 }) {
                throw CLIError.couldNotEvaluate("dockerd exited (status \(ended.status)) before it answered:\n" + LabVerifier.tail(ended.standardOutputText, lines: 20))
            }
            if (try? await daemon.client(["version", "--format", "{{.Server.Version}}"], timeout: 10).status) == 0 { return daemon }
            try await Task.sleep(for: .milliseconds(250))
        }
        let output = await daemon.stop()
        throw CLIError.couldNotEvaluate("dockerd did not answer on \(socket.path) within \(Int(readyWithin)) s:\n" + LabVerifier.tail(output, lines: 20))
    }

    /// Runs the docker client against this daemon.
    func client(_ arguments: [String], timeout: TimeInterval) async throws -> ChildProcess.Result {
        var environment = ProcessInfo.processInfo.environment
        environment["DOCKER_HOST"] = host
        return try await ChildProcess(arguments: [docker] + arguments, environment: environment, timeout: timeout, mergeStandardError: true).run()
    }

    /// `docker version`'s client and server lines, for the run's log.
    func versions() async -> String {
        let format = "docker client {{.Client.Version}} (API {{.Client.APIVersion}}), daemon {{.Server.Version}} (API {{.Server.APIVersion}}, {{.Server.Os}}/{{.Server.Arch}})"
        let result = try? await client(["version", "--format", format], timeout: 30)
        return result?.standardOutputText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "docker version did not answer"
    }

    /// SIGTERM to dockerd (it stops containerd), SIGKILL to the group after 20 s; returns its output.
    @discardableResult
    func stop() async -> String {
        if let pgid = state.processGroup.withLock({ $0 }) { kill(-pgid, SIGTERM) }
        let task = self.task
        let killer = Task {
            try await Task.sleep(for: .seconds(20))
            task.cancel()
        }
        let result = await task.result
        killer.cancel()
        switch result {
        case .success(let ended): return ended.standardOutputText
        case .failure(let error): return "dockerd: \(error)"
        }
    }
}
