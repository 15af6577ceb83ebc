import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationXML)
import FoundationXML
import LabCheckTestSupport
#endif

/// `labcheck verify-lab` as the lab's CI runs it: the lab's own scripts (fixtures/lab) with the real
/// AWS CLI and the real docker (with the run's own dockerd) or podman, by the real host names inside
/// the run's namespace, against the embedded fake ECR, stage by stage. Each test runs for both clients.
@Suite("labcheck verify-lab", .serialized)
struct VerifyLabTests {
    static let clients = ["docker", "podman"]
    /// What a run of either client needs; verify-lab itself needs root for its namespace.
    static let tools = ["aws", "unshare", "docker", "dockerd", "podman"]
    static var isRoot: Bool { geteuid() == 0 }
    static var runnable: Bool { isRoot && tools.allSatisfy(ExternalTool.available) }
    static let skipReason: Comment = "verify-lab needs root, unshare, aws (pip install awscli), docker.io and podman"

    struct NotRoot: Error, CustomStringConvertible {
        var description: String { "verify-lab's tests need root (its private namespace); LABCHECK_REQUIRE_TOOLS=1 makes that a failure" }
    }

    static func requireTools(_ tools: [String] = tools) throws {
        guard isRoot else { throw NotRoot() }
        for tool in tools { _ = try ExternalTool.require(tool) }
    }

    /// Runs verify-lab on a copy of fixtures/lab in which `script` has `old` replaced by `new`.
    static func verifyBrokenLab(
        _ script: String, replacing old: String, with new: String, client: String, extra: [String] = []
    ) async throws -> (run: LabCheckBinary.Run, junit: XMLDocument) {
        try requireTools()
        let home = try temporaryDirectory()
        let lab = home.appendingPathComponent("lab", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.copyItem(at: RepositoryFiles.root.appendingPathComponent("fixtures/lab"), to: lab)
        let file = lab.appendingPathComponent(script)
        let text = try String(contentsOf: file, encoding: .utf8)
        try #require(text.contains(old), "\(script) no longer holds '\(old)'")
        try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: file)
        let run = try await verifyLab(["--lab", lab.path, "--client", client] + extra, home: home)
        return (run, try junit(home))
    }

    static func verifyLab(_ extra: [String], home: URL) async throws -> LabCheckBinary.Run {
        // verify-lab must not need the machine's AWS settings: the test's environment has none.
        let environment = LabCheckBinary.environment(home: home)
        await ToolLock.podman.acquire()
        defer { ToolLock.podman.release() }
        return try await LabCheckBinary.run(["verify-lab", "--lang", "en", "--output", home.appendingPathComponent("reports").path] + extra, environment: environment)
    }

    static func junit(_ home: URL) throws -> XMLDocument {
        try XMLDocument(contentsOf: home.appendingPathComponent("reports/verify-lab.junit.xml"), options: [])
    }

    static func suites(_ document: XMLDocument) -> [String: XMLElement] {
        var byName: [String: XMLElement] = [:]
        for suite in document.rootElement()?.elements(forName: "testsuite") ?? [] {
            if let name = suite.attribute(forName: "name")?.stringValue { byName[name] = suite }
        }
        return byName
    }

    @Test("the lab's scripts pass every stage, the last at 100%, the JUnit validates and nothing of the run is left",
          .enabled(if: runnable || ExternalTool.required, skipReason), arguments: clients)
    func passesFromACleanCheckout(client: String) async throws {
        try Self.requireTools()
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let hostsBefore = RunLeftovers.hosts()
        let run = try await Self.verifyLab(["--client", client], home: home)
        #expect(run.status == 0, "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
        if client == "docker" {
            // The real client and the run's own daemon, by their versions.
            #expect(run.stderr.contains("verify-lab: client docker: docker client "), "\(run.stderr)")
            #expect(run.stderr.contains(", daemon "), "\(run.stderr)")
        } else {
            #expect(run.stderr.contains("verify-lab: client podman: "), "\(run.stderr)")
        }
        let leftovers = try #require(RunLeftovers(stderr: run.stderr), "no sandbox line in:\n\(run.stderr)")
        #expect(leftovers.namespaces.count == 2, "\(run.stderr)")
        #expect(leftovers.processes().isEmpty, "left running: \(leftovers.processes())")
        #expect(!leftovers.sandboxExists, "\(leftovers.sandbox) must be removed")
        #expect(RunLeftovers.hosts() == hostsBefore, "the machine's /etc/hosts must be untouched")
        for (stage, score) in [("create-repositories", "15.0"), ("push-images", "45.0"), ("create-cache-rule", "60.0"), ("pull-through-cache", "75.0"), ("cleanup", "100.0")] {
            #expect(run.stdout.contains("✓ stage \(stage) "), "stage \(stage) missing from:\n\(run.stdout)")
            #expect(run.stdout.contains("score \(score)%"), "score \(score)% missing from:\n\(run.stdout)")
        }
        #expect(run.stdout.contains("every stage passed"))

        let document = try Self.junit(home)
        let suites = Self.suites(document)
        #expect(suites.count == 5)
        for suite in suites.values {
            #expect(suite.attribute(forName: "failures")?.stringValue == "0")
            #expect(suite.attribute(forName: "skipped")?.stringValue == "0")
        }
        let cleanup = try #require(suites["ecr-lab.cleanup"])
        let properties = cleanup.elements(forName: "properties").first?.elements(forName: "property") ?? []
        let actual = properties.first { $0.attribute(forName: "name")?.stringValue == "score.actual" }?.attribute(forName: "value")?.stringValue
        #expect(actual == "100.0")

        // Content checks were on: every image step is verified against the stand-ins' pins, podman's
        // pushes (it rewrites the manifest) through their config digests, the cache's pull through its manifest.
        let pushed = try #require(suites["ecr-lab.push-images"])
        let values = Dictionary(uniqueKeysWithValues: (pushed.elements(forName: "properties").first?.elements(forName: "property") ?? []).compactMap { property in
            property.attribute(forName: "name")?.stringValue.map { ($0, property.attribute(forName: "value")?.stringValue ?? "") }
        })
        for step in ["image-aws-lbc", "image-cluster-autoscaler", "image-nginx"] {
            #expect(values["step.\(step).content"] == "verified", "\(step): \(values["step.\(step).content.detail"] ?? "no content property")")
        }
        let cached = try #require(suites["ecr-lab.pull-through-cache"])
        let cachedValues = (cached.elements(forName: "properties").first?.elements(forName: "property") ?? []).compactMap { property -> (String, String)? in
            guard let name = property.attribute(forName: "name")?.stringValue else { return nil }
            return (name, property.attribute(forName: "value")?.stringValue ?? "")
        }
        #expect(cachedValues.contains { $0 == ("step.cache-nginx.content", "verified") }, "\(cachedValues)")

        // Each script's log is kept, with the commands traced.
        let log = try String(contentsOf: home.appendingPathComponent("reports/verify-lab/pull-through-cache/02_nginx_image_pull.sh.log"), encoding: .utf8)
        #expect(log.contains("docker pull 539666729110.dkr.ecr.ap-northeast-1.amazonaws.com/public-ecr-"), "\(log)")
        if client == "docker" {
            // docker's own words, by the registry's real name: no shim and no rewritten argument.
            let push = try String(contentsOf: home.appendingPathComponent("reports/verify-lab/push-images/01_aws_lbc_image_push.sh.log"), encoding: .utf8)
            #expect(push.contains(
                "The push refers to repository [539666729110.dkr.ecr.ap-northeast-1.amazonaws.com/public.ecr.aws/eks/aws-load-balancer-controller]"), "\(push)")
            #expect(push.contains("Login Succeeded"), "\(push)")
            let daemonLog = home.appendingPathComponent("reports/verify-lab/dockerd.log")
            #expect(FileManager.default.fileExists(atPath: daemonLog.path), "dockerd's output is kept")
        }

        if ExternalTool.available("xmllint") || ExternalTool.required {
            let xmllint = try ExternalTool.require("xmllint")
            let schemas = RepositoryFiles.root.appendingPathComponent("Tests/ReportsTests/Schemas")
            for schema in ["ant-junit.xsd", "jenkins-junit-10.xsd"] {
                let check = try await ExternalTool.run(xmllint, ["--noout", "--schema", schemas.appendingPathComponent(schema).path,
                                                                  home.appendingPathComponent("reports/verify-lab.junit.xml").path])
                #expect(check.status == 0, "verify-lab.junit.xml against \(schema):\n\(check.output)")
            }
        }
    }

    @Test("a script broken on purpose fails the run, naming the stage, the script and the command",
          .enabled(if: runnable || ExternalTool.required, skipReason), arguments: clients)
    func brokenScriptNamesTheStage(client: String) async throws {
        // The upstream has no v1.32.9: `docker pull` fails in the second script of the push stage
        // (docker exits 1, podman 125).
        let (run, junit) = try await Self.verifyBrokenLab(
            "02_image_push/02_autoscaler_image_push.sh",
            replacing: "docker pull registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.0",
            with: "docker pull registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.9", client: client, extra: ["--prefix", "public-ecr-1234567"])
        #expect(run.status == 1, "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
        let suites = Self.suites(junit)
        let status = client == "docker" ? 1 : 125
        #expect(run.stderr.contains(
            "FAILED: stage push-images: script 02_image_push/02_autoscaler_image_push.sh failed (exit \(status)) at: docker pull registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.9"),
            "\(run.stderr)")
        #expect(run.stdout.contains("✓ stage create-repositories"))
        #expect(run.stdout.contains("✗ stage push-images"))
        #expect(!run.stdout.contains("stage cleanup"), "later stages must not run after a failure")

        let push = try #require(suites["ecr-lab.push-images"])
        #expect(push.attribute(forName: "failures")?.stringValue == "1")
        let failure = push.elements(forName: "testcase")
            .first { $0.attribute(forName: "name")?.stringValue == "script 02_image_push/02_autoscaler_image_push.sh" }?
            .elements(forName: "failure").first
        #expect(failure?.attribute(forName: "type")?.stringValue == "ScriptFailed")
        #expect(failure?.attribute(forName: "message")?.stringValue?.contains("cluster-autoscaler:v1.32.9") == true)
        #expect(suites["ecr-lab.cleanup"]?.attribute(forName: "skipped")?.stringValue == "2", "the stage that never ran is skipped")
    }

    @Test("a script that runs but does the wrong thing fails the stage's score, naming the step",
          .enabled(if: runnable || ExternalTool.required, skipReason), arguments: clients)
    func wrongResultFailsTheScore(client: String) async throws {
        let (run, junit) = try await Self.verifyBrokenLab(
            "01_create_repository/03_create_nginx_ecr.sh",
            replacing: "--repository-name public.ecr.aws/nginx/nginx", with: "--repository-name public.ecr.aws/nginx/nginxx", client: client)
        #expect(run.status == 1, "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
        let suites = Self.suites(junit)
        #expect(run.stderr.contains("FAILED: stage create-repositories: score 10.0% is below the 15.0% it must reach"), "\(run.stderr)")
        #expect(run.stderr.contains("- repo-nginx (failed):"), "\(run.stderr)")
        let failure = suites["ecr-lab.create-repositories"]?.elements(forName: "testcase")
            .first { $0.attribute(forName: "name")?.stringValue == "score >= 15.0%" }?.elements(forName: "failure").first
        #expect(failure?.attribute(forName: "type")?.stringValue == "ScoreNotReached")
    }

    /// A lab of one stage whose script starts `sleep 600` (its pid in `sleep.pid`) and waits for it, and an
    /// environment with stand-ins for aws and podman (the hang comes before either is used).
    /// dash writes a trace line in pieces, so a background job's trace can interleave with the script's
    /// (`+ [labcheck] + [labcheck] sleepwait`). The sleep writes its own pid and the script waits for that
    /// file before it goes on: the job's trace is whole before the script's next line, and `wait` is last.
    static func hangingLab(in home: URL) throws -> (lab: URL, environment: [String: String]) {
        let lab = home.appendingPathComponent("lab", isDirectory: true)
        try FileManager.default.createDirectory(at: lab.appendingPathComponent("00"), withIntermediateDirectories: true)
        let pidFile = home.appendingPathComponent("sleep.pid").path
        let script = """
            #!/bin/sh
            echo starting
            sh -c 'echo $$ > \(pidFile) && exec sleep 600' &
            while [ ! -s \(pidFile) ]; do sleep 0.1; done
            wait

            """
        try Data(script.utf8).write(to: lab.appendingPathComponent("00/hang.sh"))
        try Data("schemaVersion: 1\nlab: ecr-lab\nstages:\n  - id: hang\n    scripts: [00/hang.sh]\n    score: 0\n".utf8)
            .write(to: lab.appendingPathComponent("stages.yaml"))
        let bin = home.appendingPathComponent("bin", isDirectory: true)
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for tool in ["aws", "podman"] {
            let url = bin.appendingPathComponent(tool)
            try Data("#!/bin/sh\nexit 0\n".utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        var environment = LabCheckBinary.environment(home: home)
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return (lab, environment)
    }

    static func sandboxes() -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter { $0.hasPrefix("lc-") })
    }

    static func isRunning(_ pid: pid_t) -> Bool {
        // A zombie still answers kill(0): ask /proc for its state too.
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !status.contains(") Z ")
    }

    @Test("a script that hangs is stopped at --script-timeout and reported",
          .enabled(if: runnable || ExternalTool.required, skipReason), arguments: clients)
    func hangingScriptTimesOut(client: String) async throws {
        try Self.requireTools(client == "docker" ? ["unshare", "docker", "dockerd"] : ["unshare"])
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let (lab, environment) = try Self.hangingLab(in: home)
        let started = Date()
        let run = try await LabCheckBinary.run(
            ["verify-lab", "--lab", lab.path, "--client", client, "--script-timeout", "2", "--output", home.appendingPathComponent("reports").path],
            environment: environment)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("stage hang: script 00/hang.sh timed out after"), "\(run.stderr)")
        #expect(run.stderr.contains("timed out after 2.0 s at: wait\n"), "\(run.stderr)")
        #expect(Date().timeIntervalSince(started) < 60, "the sleep's process group must be killed with the script")
        let pid = try #require(pid_t(try String(contentsOf: home.appendingPathComponent("sleep.pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!Self.isRunning(pid), "the script's child must not outlive it")
        let leftovers = try #require(RunLeftovers(stderr: run.stderr), "no sandbox line in:\n\(run.stderr)")
        #expect(leftovers.processes().isEmpty, "left running: \(leftovers.processes())")
    }

    @Test("SIGTERM stops the running script's whole process group and dockerd, removes the sandbox and exits 143",
          .enabled(if: runnable || ExternalTool.required, skipReason), arguments: clients)
    func interruptCleansUp(client: String) async throws {
        try Self.requireTools(client == "docker" ? ["unshare", "docker", "dockerd"] : ["unshare"])
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let (lab, environment) = try Self.hangingLab(in: home)
        let before = Self.sandboxes()
        let hostsBefore = RunLeftovers.hosts()
        let process = Process()
        process.executableURL = try LabCheckBinary.url()
        process.arguments = ["verify-lab", "--lab", lab.path, "--client", client, "--output", home.appendingPathComponent("reports").path]
        process.environment = environment
        process.currentDirectoryURL = RepositoryFiles.root
        process.standardOutput = FileHandle.nullDevice
        let stderrFile = home.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let stderrHandle = try FileHandle(forWritingTo: stderrFile)
        defer { try? stderrHandle.close() }
        process.standardError = stderrHandle
        let pidFile = home.appendingPathComponent("sleep.pid")
        let (status, pid): (Int32, pid_t?) = try await offPool {
            try process.run()
            // The script is under way once its background sleep runs (its pid written whole).
            var pid: pid_t?
            let started = eventuallyBlocking(timeout: 60) {
                pid = (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                return pid.map(Self.isRunning) ?? false
            }
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            return (process.terminationStatus, started ? pid : nil)
        }
        #expect(status == 143)
        let sleeper = try #require(pid, "the script's sleep never started")
        let ended = await eventually(timeout: 10) { !Self.isRunning(sleeper) }
        #expect(ended, "the script's sleep must end with the run")
        #expect(Self.sandboxes().subtracting(before).isEmpty, "the /tmp/lc-* sandbox must be removed")
        let stderr = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
        let leftovers = try #require(RunLeftovers(stderr: stderr), "no sandbox line in:\n\(stderr)")
        if client == "docker" { #expect(stderr.contains("verify-lab: client docker: docker client "), "\(stderr)") }
        let gone = await eventually(timeout: 10) { leftovers.processes().isEmpty }
        #expect(gone, "left running after SIGTERM: \(leftovers.processes())")
        #expect(!leftovers.sandboxExists)
        #expect(RunLeftovers.hosts() == hostsBefore, "the machine's /etc/hosts must be untouched")
    }

    @Test("bad stages files and missing tools: exit 2 and 3 with the file, line and field")
    func badInput() async throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let stages = home.appendingPathComponent("stages.yaml")
        try Data("schemaVersion: 1\nlab: ecr-lab\nstages:\n  - id: one\n    scripts: [../outside.sh]\n    score: 10\n".utf8).write(to: stages)
        let outside = try await LabCheckBinary.run(["verify-lab", "--stages", stages.path], environment: LabCheckBinary.environment(home: home))
        #expect(outside.status == 2, "\(outside.stderr)")
        #expect(outside.stderr.contains("\(stages.path):5:"), "\(outside.stderr)")
        #expect(outside.stderr.contains("stages[0].scripts[0]"), "\(outside.stderr)")

        try Data("schemaVersion: 1\nlab: other-lab\nstages:\n  - id: one\n    scripts: [99_delete/99_delete.sh]\n    score: 10\n".utf8).write(to: stages)
        let otherLab = try await LabCheckBinary.run(["verify-lab", "--stages", stages.path], environment: LabCheckBinary.environment(home: home))
        #expect(otherLab.status == 2)
        #expect(otherLab.stderr.contains("the stages are for lab 'other-lab'"), "\(otherLab.stderr)")

        var noTools = LabCheckBinary.environment(home: home)
        noTools["PATH"] = "/nonexistent"
        let missing = try await LabCheckBinary.run(["verify-lab"], environment: noTools)
        #expect(missing.status == 3, "\(missing.stderr)")
        #expect(missing.stderr.contains("verify-lab needs"), "\(missing.stderr)")
        #expect(missing.stderr.contains("aws (pip install awscli)"), "\(missing.stderr)")
    }
}

extension VerifyLabTests {
    @Test("without root verify-lab refuses with exit 3 and says why, before touching anything",
          .enabled(if: isRoot && ExternalTool.available("setpriv"), "needs root and setpriv to run labcheck as nobody"))
    func refusesWithoutRoot() async throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let before = Self.sandboxes()
        let run = try await LabCheckBinary.run(
            ["verify-lab", "--client", "docker", "--output", home.appendingPathComponent("reports").path],
            environment: LabCheckBinary.environment(home: home), via: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("verify-lab must run as root: it runs the lab's scripts in a private mount and network namespace"), "\(run.stderr)")
        #expect(Self.sandboxes() == before)
    }
}

extension VerifyLabTests {
    @Test("without dockerd on PATH the default client is podman, and the output says so",
          .enabled(if: (isRoot && ExternalTool.available("unshare")) || ExternalTool.required, skipReason))
    func defaultsToPodmanWithoutDockerd() async throws {
        try Self.requireTools(["unshare"])
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let (lab, environment) = try Self.hangingLab(in: home)
        let run = try await LabCheckBinary.run(
            ["verify-lab", "--lab", lab.path, "--dockerd", "dockerd-not-installed", "--script-timeout", "1",
             "--output", home.appendingPathComponent("reports").path], environment: environment)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("verify-lab: client podman: docker or dockerd-not-installed is not on PATH (apt-get install docker.io for the docker client)"), "\(run.stderr)")
        #expect(run.stderr.contains("verify-lab: client podman: \(home.appendingPathComponent("bin/podman").path) as docker"), "\(run.stderr)")
    }
}
