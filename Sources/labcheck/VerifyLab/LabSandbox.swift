import AWSCore
import Foundation

/// The private world one `verify-lab` run gives the lab's scripts, in a short temporary folder
/// (podman refuses a run root longer than 50 characters). Nothing in it rewrites what a script runs:
///
/// - `etc/hosts`, mounted over /etc/hosts inside the run's namespace (`LabNamespace`): the lab's
///   registry host, the ECR and STS API hosts and the upstream registries at loopback addresses of
///   their own, where the fake and the stand-ins serve HTTPS on port 443;
/// - `ca.pem`, the run's certificate authority, trusted by dockerd through `etc/docker/certs.d`
///   (mounted over /etc/docker), by podman through `home/.config/containers/certs.d` and by the AWS
///   CLI through `AWS_CA_BUNDLE`;
/// - `bin/docker`: a symbolic link to the client (the real docker, or podman on the podman path);
/// - dockerd's data and exec roots and socket, the docker client's config (`DOCKER_CONFIG`), and
///   podman's vfs storage and cgroupfs settings (no daemon, no fuse, no systemd);
/// - AWS CLI files that hold only a fake key and `HOME` inside, so nothing from the machine's own
///   AWS or container set-up is used and nothing reaches AWS.
struct LabSandbox {
    let root: URL
    /// Host name → loopback address, as `etc/hosts` maps them.
    let addresses: [String: String]

    var bin: URL { root.appendingPathComponent("bin") }
    var home: URL { root.appendingPathComponent("home") }
    var containers: URL { root.appendingPathComponent("containers") }
    var hostsFile: URL { root.appendingPathComponent("etc/hosts") }
    var dockerEtc: URL { root.appendingPathComponent("etc/docker") }
    var certificateAuthorityFile: URL { root.appendingPathComponent("ca.pem") }

    /// The fake key of the run's AWS CLI files, which the checker uses too: the account's administrator (the
    /// account's root when the fake enforces IAM, `--policy lab`).
    static let administrator = Credentials(accessKeyId: "AKIAVERIFYLABFAKEKEY", secretAccessKey: "verify-lab-fake-secret", source: "verify-lab")

    /// Creates the folder and its files; `client` is the program `docker` runs.
    static func create(addresses: [String: String], certificateAuthorityPEM: String, client: String) throws -> LabSandbox {
        var template = Array("/tmp/lc-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CLIError.couldNotEvaluate("could not create a temporary folder under /tmp: \(String(cString: strerror(errno)))")
        }
        let root = URL(fileURLWithPath: String(cString: made), isDirectory: true)
        let sandbox = LabSandbox(root: root, addresses: addresses)
        InterruptCleanup.shared.track(folder: root)
        let manager = FileManager.default
        for folder in [sandbox.bin, sandbox.home, sandbox.containers, sandbox.dockerEtc, root.appendingPathComponent("docker-config"),
                       root.appendingPathComponent("run"), root.appendingPathComponent("aws")] {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try sandbox.write(sandbox.hostsText, to: "etc/hosts")
        try sandbox.write("{}\n", to: "etc/docker/daemon.json")
        try sandbox.write(certificateAuthorityPEM, to: "ca.pem")
        for host in Set(addresses.keys).sorted() {
            for folder in ["etc/docker/certs.d", "home/.config/containers/certs.d"] {
                try manager.createDirectory(at: root.appendingPathComponent("\(folder)/\(host)"), withIntermediateDirectories: true)
                try sandbox.write(certificateAuthorityPEM, to: "\(folder)/\(host)/ca.crt")
            }
        }
        try sandbox.write(Self.registriesConf, to: "containers/registries.conf")
        try sandbox.write(sandbox.storageConf, to: "containers/storage.conf")
        try sandbox.write(Self.containersConf, to: "containers/containers.conf")
        try sandbox.write("[default]\n", to: "aws/config")
        let key = administrator
        try sandbox.write("[default]\naws_access_key_id = \(key.accessKeyId)\naws_secret_access_key = \(key.secretAccessKey)\n", to: "aws/credentials")
        try manager.createSymbolicLink(atPath: sandbox.bin.appendingPathComponent("docker").path, withDestinationPath: client)
        // podman reads REGISTRY_AUTH_FILE even before the first login.
        try sandbox.write("{\"auths\": {}}\n", to: "auth.json")
        return sandbox
    }

    func remove() {
        InterruptCleanup.remove(root)
        InterruptCleanup.shared.forget(folder: root)
    }

    /// The scripts' environment: PATH with `bin` first, the lab's parameters, AWS, docker and podman pointed inside.
    func environment(base: [String: String], account: String, region: String, prefix: String, dockerHost: String?) -> [String: String] {
        var environment: [String: String] = [:]
        for name in ["LANG", "LC_ALL", "TERM", "TZ"] { environment[name] = base[name] }
        environment["PATH"] = bin.path + ":" + (base["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        environment["HOME"] = home.path
        environment["ACCOUNT_ID"] = account
        environment["AWS_REGION"] = region
        environment["AWS_DEFAULT_REGION"] = region
        environment["CACHE_PREFIX"] = prefix
        environment["AWS_CA_BUNDLE"] = certificateAuthorityFile.path
        environment["AWS_CONFIG_FILE"] = root.appendingPathComponent("aws/config").path
        environment["AWS_SHARED_CREDENTIALS_FILE"] = root.appendingPathComponent("aws/credentials").path
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        environment["AWS_PAGER"] = ""
        environment["DOCKER_CONFIG"] = root.appendingPathComponent("docker-config").path
        environment["DOCKER_HOST"] = dockerHost
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

    /// localhost, then each host at its address (sorted, one line per address).
    var hostsText: String {
        var text = "# Written by labcheck verify-lab for one run; mounted over /etc/hosts in the run's namespace only.\n"
        text += "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        let byAddress = Dictionary(grouping: addresses.keys, by: { addresses[$0] ?? "" })
        for address in byAddress.keys.sorted() {
            text += address + "\t" + (byAddress[address] ?? []).sorted().joined(separator: " ") + "\n"
        }
        return text
    }

    /// No short names: every reference in the lab's scripts names its registry.
    static let registriesConf = """
        # Written by labcheck verify-lab: registries are reached by their own names (see the run's /etc/hosts).
        unqualified-search-registries = []

        """

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

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent(path))
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

extension LabSandbox {
    /// Points `bin/docker` at another client (the fallback from docker to podman).
    func useClient(_ client: String) throws {
        let link = bin.appendingPathComponent("docker").path
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: client)
    }
}
