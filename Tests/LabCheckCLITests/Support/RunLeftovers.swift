import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a verify-lab run may leave on the machine, read from its stderr line
/// `verify-lab: sandbox /tmp/lc-… in namespace mnt:[…] net:[…]; …`: processes in its namespaces or
/// naming its sandbox (dockerd, containerd, a script), the sandbox folder, and /etc/hosts.
struct RunLeftovers {
    var sandbox: String
    var namespaces: [String]

    init?(stderr: String) {
        guard let line = stderr.split(separator: "\n").first(where: { $0.contains("verify-lab: sandbox /tmp/lc-") }) else { return nil }
        let words = line.split(separator: " ").map(String.init)
        guard let at = words.firstIndex(of: "sandbox"), at + 1 < words.count else { return nil }
        sandbox = words[at + 1]
        namespaces = words.filter { $0.hasPrefix("mnt:[") || $0.hasPrefix("net:[") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ";")) }
    }

    /// `pid: command` of every process still in one of the run's namespaces or naming its sandbox.
    func processes() -> [String] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { $0.allSatisfy(\.isNumber) }
        return pids.compactMap { pid -> String? in
            let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if status.isEmpty || status.contains(") Z ") { return nil }
            let command = ((try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data())
                .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
            let inNamespace = ["mnt", "net"].contains { kind in
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(kind)")).map(namespaces.contains) ?? false
            }
            return inNamespace || command.contains(sandbox) ? "\(pid): \(command)" : nil
        }
    }

    var sandboxExists: Bool { FileManager.default.fileExists(atPath: sandbox) }

    /// The machine's /etc/hosts, to compare before and after a run.
    static func hosts() -> Data { (try? Data(contentsOf: URL(fileURLWithPath: "/etc/hosts"))) ?? Data() }
}
