import Foundation

/// The private world one `verify-lab` run gives the lab's scripts, in a short temporary folder
/// (podman refuses a run root longer than 50 characters):
///
/// - `bin/docker`: a shim that runs podman, rewriting the lab's registry host
///   (`<account>.dkr.ecr.<region>.amazonaws.com`) to the fake's loopback address in its arguments,
///   because containers/image applies `registries.conf` locations to pulls only, not to login or push;
/// - `containers/registries.conf`: the upstream hosts (`public.ecr.aws`, `registry.k8s.io`) mapped
///   to their loopback stand-ins, every loopback registry marked insecure (plain HTTP);
/// - `containers/storage.conf` and `containers.conf`: vfs storage and cgroupfs, so podman needs no
///   daemon, no fuse and no systemd;
/// - AWS CLI files that hold only a fake key, `AWS_ENDPOINT_URL` at the fake, and `HOME` inside,
///   so nothing from the machine's own AWS or container set-up is used and nothing reaches AWS.
struct LabSandbox {
    let root: URL
    let registryHost: String
    let fakeAuthority: String
    let fakeEndpoint: URL

    var bin: URL { root.appendingPathComponent("bin") }
    var home: URL { root.appendingPathComponent("home") }
    var containers: URL { root.appendingPathComponent("containers") }

    /// Creates the folder and its files. `upstreams` maps registry hosts to loopback authorities.
    static func create(
        registryHost: String, fakeEndpoint: URL, fakeAuthority: String, upstreams: [String: String], podman: String
    ) throws -> LabSandbox {
        var template = Array("/tmp/lc-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CLIError.couldNotEvaluate("could not create a temporary folder under /tmp: \(String(cString: strerror(errno)))")
        }
        let root = URL(fileURLWithPath: String(cString: made), isDirectory: true)
        let sandbox = LabSandbox(root: root, registryHost: registryHost, fakeAuthority: fakeAuthority, fakeEndpoint: fakeEndpoint)
        InterruptCleanup.shared.track(folder: root)
        let manager = FileManager.default
        for folder in [sandbox.bin, sandbox.home, sandbox.containers, root.appendingPathComponent("run"), root.appendingPathComponent("aws")] {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try sandbox.write(sandbox.registriesConf(upstreams: upstreams), to: "containers/registries.conf")
        try sandbox.write(sandbox.storageConf, to: "containers/storage.conf")
        try sandbox.write(Self.containersConf, to: "containers/containers.conf")
        try sandbox.write("[default]\n", to: "aws/config")
        try sandbox.write("[default]\naws_access_key_id = AKIAVERIFYLABFAKEKEY\naws_secret_access_key = verify-lab-fake-secret\n", to: "aws/credentials")
        try sandbox.write(sandbox.dockerShim(podman: podman), to: "bin/docker", executable: true)
        // podman reads REGISTRY_AUTH_FILE even before the first login.
        try sandbox.write("{\"auths\": {}}\n", to: "auth.json")
        return sandbox
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
        InterruptCleanup.shared.forget(folder: root)
    }

    /// The scripts' environment: PATH with the shim first, the lab's parameters, AWS and podman pointed inside.
    func environment(base: [String: String], account: String, region: String, prefix: String) -> [String: String] {
        var environment: [String: String] = [:]
        for name in ["LANG", "LC_ALL", "TERM", "TZ"] { environment[name] = base[name] }
        environment["PATH"] = bin.path + ":" + (base["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        environment["HOME"] = home.path
        environment["ACCOUNT_ID"] = account
        environment["AWS_REGION"] = region
        environment["AWS_DEFAULT_REGION"] = region
        environment["CACHE_PREFIX"] = prefix
        environment["AWS_ENDPOINT_URL"] = fakeEndpoint.absoluteString
        environment["AWS_CONFIG_FILE"] = root.appendingPathComponent("aws/config").path
        environment["AWS_SHARED_CREDENTIALS_FILE"] = root.appendingPathComponent("aws/credentials").path
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        environment["AWS_PAGER"] = ""
        environment["CONTAINERS_REGISTRIES_CONF"] = containers.appendingPathComponent("registries.conf").path
        environment["CONTAINERS_STORAGE_CONF"] = containers.appendingPathComponent("storage.conf").path
        environment["CONTAINERS_CONF"] = containers.appendingPathComponent("containers.conf").path
        environment["REGISTRY_AUTH_FILE"] = root.appendingPathComponent("auth.json").path
        environment["XDG_RUNTIME_DIR"] = root.appendingPathComponent("run").path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent(".config").path
        // The trace marker of `sh -x`: tells the commands apart from what they print.
        environment["PS4"] = ScriptTrace.marker
        return environment
    }

    func registriesConf(upstreams: [String: String]) -> String {
        var text = """
            # Written by labcheck verify-lab: the lab's upstream registries on loopback.
            unqualified-search-registries = []

            [[registry]]
            location = "\(fakeAuthority)"
            insecure = true

            """
        for (host, authority) in upstreams.sorted(by: { $0.key < $1.key }) {
            text += """

                [[registry]]
                prefix = "\(host)"
                location = "\(authority)"
                insecure = true

                """
        }
        return text
    }

    var storageConf: String {
        """
        [storage]
        driver = "vfs"
        graphroot = "\(root.appendingPathComponent("storage").path)"
        runroot = "\(root.appendingPathComponent("runroot").path)"

        """
    }

    static let containersConf = """
        [engine]
        cgroup_manager = "cgroupfs"
        events_logger = "file"

        [containers]
        netns = "host"

        """

    /// POSIX sh: each argument that starts with the lab's registry host gets the fake's authority instead.
    func dockerShim(podman: String) -> String {
        """
        #!/bin/sh
        # docker -> podman for labcheck verify-lab: \(registryHost) is served by the fake ECR at \(fakeAuthority).
        count=$#
        while [ "$count" -gt 0 ]; do
            argument=$1
            shift
            case $argument in
                \(registryHost)|\(registryHost)/*) argument="\(fakeAuthority)${argument#\(registryHost)}" ;;
            esac
            set -- "$@" "$argument"
            count=$((count - 1))
        done
        exec \(Self.shellQuoted(podman)) "$@"

        """
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private func write(_ text: String, to path: String, executable: Bool = false) throws {
        let url = root.appendingPathComponent(path)
        try Data(text.utf8).write(to: url)
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
    }
}

/// Reading `sh -x` output.
enum ScriptTrace {
    /// PS4 of the scripts' shell; starts with `+` like the default so the trace still reads naturally.
    static let marker = "+ [labcheck] "

    /// The last command the shell announced before it stopped.
    /// The trace of a pipeline can run two markers together (`+ [labcheck] + [labcheck] docker login …`).
    static func lastCommand(in output: String) -> String? {
        guard var line = output.split(separator: "\n", omittingEmptySubsequences: true).last(where: { $0.hasPrefix(marker) }) else { return nil }
        while line.hasPrefix(marker) { line = line.dropFirst(marker.count) }
        return String(line)
    }
}
