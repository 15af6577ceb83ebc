import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What a verify-lab run leaves behind if it is interrupted (Ctrl-C, a CI job's SIGTERM): the
/// scripts and the run's dockerd run in process groups of their own, so the terminal's signal does
/// not reach them, and the sandbox lives in /tmp. On SIGINT or SIGTERM this ends those process
/// groups (dockerd's containerd dies with dockerd), waits for them briefly, removes the folders and
/// exits with 128 + the signal; the run's namespace ends with its last process.
final class InterruptCleanup: Sendable {
    static let shared = InterruptCleanup()

    private struct State {
        var processGroups: Set<pid_t> = []
        var folders: Set<URL> = []
        var sources: [any DispatchSourceSignal] = []
    }

    private let state = Mutex(State())

    /// Starts handling SIGINT and SIGTERM (once).
    func install() {
        state.withLock { state in
            guard state.sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [weak self] in self?.interrupted(by: signalNumber) }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    func track(processGroup: pid_t) { state.withLock { _ = $0.processGroups.insert(processGroup) } }
    func forget(processGroup: pid_t) { state.withLock { _ = $0.processGroups.remove(processGroup) } }
    func track(folder: URL) { state.withLock { _ = $0.folders.insert(folder) } }
    func forget(folder: URL) { state.withLock { _ = $0.folders.remove(folder) } }

    private func interrupted(by signalNumber: Int32) {
        let (groups, folders) = state.withLock { ($0.processGroups, $0.folders) }
        // Processes first, so that nothing writes into the folders while they go: dockerd's data root
        // is there. The groups' leaders are this process's children, so they can be reaped.
        for group in groups { kill(-group, SIGKILL) }
        let deadline = Date().addingTimeInterval(5)
        for group in groups {
            while Date() < deadline, waitpid(group, nil, WNOHANG) == 0 { usleep(20_000) }
        }
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
        FileHandle.standardError.write(Data("verify-lab: interrupted; stopped the running script and dockerd and removed the run's sandbox\n".utf8))
        _exit(128 + signalNumber)
    }
}
