import Foundation
import LabCheckTestSupport

/// A podman of its own: vfs storage, run root and auth file in a scratch directory, cgroupfs and
/// file events, so it needs no daemon, no systemd and no root. podman refuses a run root longer
/// than 50 characters: the scratch directory is a short path under /tmp.
struct PodmanSandbox: Sendable {
    let scratch: URL

    init() throws {
        scratch = URL(fileURLWithPath: "/tmp/pm-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("run"), withIntermediateDirectories: true)
    }

    var environment: [String: String] {
        [
            "XDG_RUNTIME_DIR": scratch.appendingPathComponent("run").path,
            "REGISTRY_AUTH_FILE": scratch.appendingPathComponent("auth.json").path,
        ]
    }

    var base: [String] {
        [
            "podman", "--root", scratch.appendingPathComponent("root").path, "--runroot", scratch.appendingPathComponent("runroot").path,
            "--storage-driver", "vfs", "--cgroup-manager=cgroupfs", "--events-backend=file",
        ]
    }

    func run(_ arguments: [String], input: String? = nil) async throws -> BoundedProcess.Result {
        try await BoundedProcess.run(base + arguments, environment: environment, input: input, timeout: 180)
    }

    /// `podman login` to a registry of the fake with the password of GetAuthorizationToken.
    func login(_ host: String, password: String) async throws -> BoundedProcess.Result {
        try await run(["login", "--username", "AWS", "--password-stdin", "--tls-verify=false", host], input: password + "\n")
    }

    /// Resets the storage (vfs layers are plain directories podman may have made read-only) and removes the scratch directory.
    func remove() {
        _ = try? BoundedProcess.runBlocking(base + ["system", "reset", "--force"], environment: environment, input: nil, timeout: 30)
        try? FileManager.default.removeItem(at: scratch)
    }
}
