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
        var interrupted = false
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

    /// A group that starts while the handler runs is ended at once: the handler has its list already.
    func track(processGroup: pid_t) {
        let late = state.withLock { state -> Bool in
            state.processGroups.insert(processGroup)
            return state.interrupted
        }
        if late { kill(-processGroup, SIGKILL) }
    }
    func forget(processGroup: pid_t) { state.withLock { _ = $0.processGroups.remove(processGroup) } }
    func track(folder: URL) { state.withLock { _ = $0.folders.insert(folder) } }
    func forget(folder: URL) { state.withLock { _ = $0.folders.remove(folder) } }

    private func interrupted(by signalNumber: Int32) {
        let (groups, folders) = state.withLock { state in
            state.interrupted = true
            return (state.processGroups, state.folders)
        }
        // Processes first, so that nothing writes into the folders while they go: dockerd's data root
        // is there. The groups' leaders are this process's children, so they can be reaped.
        for group in groups { kill(-group, SIGKILL) }
        let deadline = Date().addingTimeInterval(5)
        for group in groups {
            while Date() < deadline, waitpid(group, nil, WNOHANG) == 0 { usleep(20_000) }
        }
        // containerd, which dockerd starts in a session of its own, dies with it (parent-death signal)
        // but not at once: anything still running from the folders goes too, before they are removed.
        for folder in folders { Self.remove(folder) }
        FileHandle.standardError.write(Data("verify-lab: interrupted; stopped the running script and dockerd and removed the run's sandbox\n".utf8))
        _exit(128 + signalNumber)
    }

    /// Once a signal came, the run's own teardown must not race the handler (which exits): the
    /// killed script would otherwise end the run with its failure first. Blocks for good then.
    func holdIfInterrupted() {
        guard state.withLock({ $0.interrupted }) else { return }
        while true { sleep(60) }
    }

    /// Ends what still runs from `folder` (containerd outlives a killed dockerd for a moment), then removes it.
    static func remove(_ folder: URL) {
        let strays = processes(naming: [folder.path])
        for pid in strays { kill(pid, SIGKILL) }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, strays.contains(where: { kill($0, 0) == 0 && !isZombie($0) }) { usleep(20_000) }
        // dockerd bind-mounts its data root over itself and unmounts it only when it shuts down
        // cleanly; in the run's namespace such a mount would keep the folder busy.
        for mountPoint in mounts(under: folder.path).sorted(by: { $0.count > $1.count }) {
            _ = umount2(mountPoint, Int32(MNT_DETACH))
        }
        for _ in 0..<3 where FileManager.default.fileExists(atPath: folder.path) {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// The mount points of this process's namespace under `folder` (from /proc/self/mountinfo).
    static func mounts(under folder: String) -> [String] {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            // The mount point is the fifth field, with spaces and the like octal-escaped (\040).
            let point = String(fields[4]).replacingOccurrences(of: "\\040", with: " ")
            return point.hasPrefix(folder + "/") ? point : nil
        }
    }

    /// The processes whose command line names a path under one of `folders`.
    static func processes(naming folders: [String]) -> [pid_t] {
        guard !folders.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        let own = getpid()
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard pid != own, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let command = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return folders.contains { command.contains($0 + "/") }
        }
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        ((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? "").contains(") Z ")
    }
}
