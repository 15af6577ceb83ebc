import AWSCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The private mount and network namespace a verify-lab run lives in, so that the lab's scripts reach
/// `public.ecr.aws`, `registry.k8s.io` and `<account>.dkr.ecr.<region>.amazonaws.com` by their own
/// names, on the standard port, and find this run's loopback servers there:
///
/// - `enter` re-runs the same command under `unshare --mount --net` (as root), in the same process, so
///   a signal sent to the pid reaches the run; the namespaces end when the run's last process does;
/// - `prepare`, inside, brings loopback up and bind-mounts the run's `/etc/hosts` and `/etc/docker`
///   over the machine's (mounts private to the namespace: the machine's files are never written).
enum LabNamespace {
    /// Set in the environment of the command re-run inside: the namespaces it was started from
    /// (`mnt:[…] net:[…]`), which the run's must differ from.
    static let marker = "LABCHECK_VERIFY_LAB_NAMESPACE"

    static var isInside: Bool { ProcessInfo.processInfo.environment[marker] != nil }

    /// Why verify-lab cannot run here, or nil when it can.
    static func unavailableReason() -> String? {
        guard geteuid() == 0 else {
            return "verify-lab must run as root: it runs the lab's scripts in a private mount and network namespace "
                + "(unshare --mount --net) where public.ecr.aws, registry.k8s.io and the lab's ECR registry host are this run's "
                + "loopback servers on port 443, and only root may create one; run it with sudo or in a root CI container "
                + "(the machine's /etc/hosts and daemons are never changed)"
        }
        return nil
    }

    /// Replaces this process with `unshare --mount --net --propagation private -- <this program> <its arguments>`;
    /// returns only by throwing.
    static func enter(unshare: String) async throws -> Never {
        // A trial first: in a container without CAP_SYS_ADMIN, unshare fails, and its exit status
        // would read as a failed lab.
        let trial = try? await ChildProcess(arguments: [unshare, "--mount", "--net", "--", "true"], timeout: 30, mergeStandardError: true).run()
        guard let trial, trial.status == 0 else {
            let said = trial.map { $0.standardOutputText.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "could not run \(unshare)"
            throw CLIError.couldNotEvaluate(
                "verify-lab could not create its private mount and network namespace (\(said)); it needs root with CAP_SYS_ADMIN (a privileged container)")
        }
        var size = 4096
        var buffer = [CChar](repeating: 0, count: size)
        size = readlink("/proc/self/exe", &buffer, size - 1)
        guard size > 0 else { throw CLIError.couldNotEvaluate("could not read /proc/self/exe: \(String(cString: strerror(errno)))") }
        let program = String(decoding: buffer[0..<size].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let arguments = [unshare, "--mount", "--net", "--propagation", "private", "--", program] + CommandLine.arguments.dropFirst()
        setenv(marker, [identity("mnt"), identity("net")].map { $0 ?? "?" }.joined(separator: " "), 1)
        var cArguments = arguments.map { strdup($0) }
        cArguments.append(nil)
        execvp(unshare, &cArguments)
        let reason = String(cString: strerror(errno))
        unsetenv(marker)
        throw CLIError.couldNotEvaluate("could not run \(unshare) to enter the run's namespace: \(reason)")
    }

    /// `net:[4026531840]`: which network namespace this process is in.
    static func identity(_ kind: String = "net", pid: String = "self") -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(kind)")
    }

    /// Inside the namespace: refuses unless both namespaces differ from the ones verify-lab was started
    /// in and from init's, where it may read them (never mount over the
    /// machine's files), brings `lo` up and bind-mounts `hosts` over /etc/hosts and `docker` (for dockerd) over /etc/docker.
    static func prepare(hosts: URL, docker: URL?) throws {
        let outside = (ProcessInfo.processInfo.environment[marker] ?? "").split(separator: " ").map(String.init)
        for kind in ["mnt", "net"] {
            let own = identity(kind)
            let started = outside.first { $0.hasPrefix(kind + ":") }
            guard let own, let started, own != started, own != identity(kind, pid: "1") else {
                throw CLIError.couldNotEvaluate(
                    "verify-lab: \(marker) is set but this process is not in a \(kind) namespace of its own (\(own ?? "?"), started in \(started ?? "?")); refusing to mount over /etc")
            }
        }
        try loopbackUp()
        try bind(hosts.path, over: "/etc/hosts")
        guard let docker else { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/etc/docker", isDirectory: &isDirectory), isDirectory.boolValue {
            try bind(docker.path, over: "/etc/docker")
        } else {
            // No mount point, and creating one would change the machine's /etc.
            throw CLIError.couldNotEvaluate("verify-lab: /etc/docker does not exist, so the run's certs.d cannot be mounted there (apt-get install docker.io creates it)")
        }
    }

    private static func bind(_ source: String, over target: String) throws {
        guard mount(source, target, nil, UInt(MS_BIND), nil) == 0 else {
            throw CLIError.couldNotEvaluate("could not bind-mount \(source) over \(target) in the run's namespace: \(String(cString: strerror(errno)))")
        }
    }

    /// `ip link set lo up`, by ioctl: a new network namespace starts with loopback down.
    private static func loopbackUp() throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw CLIError.couldNotEvaluate("could not open a socket to bring loopback up: \(String(cString: strerror(errno)))") }
        defer { close(socketDescriptor) }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { name in
            for (index, byte) in "lo".utf8.enumerated() { name[index] = byte }
        }
        guard ioctl(socketDescriptor, UInt(SIOCGIFFLAGS), &request) == 0 else {
            throw CLIError.couldNotEvaluate("could not read loopback's flags: \(String(cString: strerror(errno)))")
        }
        request.ifr_ifru.ifru_flags |= Int16(IFF_UP)
        guard ioctl(socketDescriptor, UInt(SIOCSIFFLAGS), &request) == 0 else {
            throw CLIError.couldNotEvaluate("could not bring loopback up in the run's namespace: \(String(cString: strerror(errno)))")
        }
    }
}
