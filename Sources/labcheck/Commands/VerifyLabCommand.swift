import ArgumentParser
import Checks
import Foundation
import Reports

/// `labcheck verify-lab`: the lab's own scripts, run unchanged against an offline fake ECR with the
/// AWS CLI and docker (or podman), by the real host names, stage by stage; the checker must give each
/// stage its score.
struct VerifyLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-lab",
        abstract: "Run the lab's own scripts against an offline fake ECR and check the score after each stage.",
        discussion: """
        Runs as root in a private mount and network namespace (unshare) whose /etc/hosts maps the lab's \
        registry <account>.dkr.ecr.<region>.amazonaws.com, the ECR and STS API hosts, public.ecr.aws and \
        registry.k8s.io to loopback addresses where a fake ECR and read-only stand-ins for the upstream \
        registries (from --upstream-images) serve HTTPS on port 443 with a certificate authority made for \
        the run. Each stage's scripts run with `sh -e -x` in the script's folder, with the real AWS CLI \
        (AWS_CA_BUNDLE) and `docker`: the real client with the run's own dockerd (vfs, its own socket and \
        data root), or podman (--client podman, or when docker or dockerd is missing or will not start). \
        No argument is rewritten. After each stage the lab's checks run; the score must reach the \
        stage's figure (the last stage: 100%). Needs root, `unshare`, `aws` (pip install awscli) and \
        docker.io or podman. \
        Writes <output>/verify-lab.junit.xml and each script's log under <output>/verify-lab/. \
        With --policy lab each script first runs (sh -x, no -e) as a user holding only the lab text's policies \
        (<lab>/policies/), against a fake that enforces IAM; every refused command is reported with its action, \
        and the script then runs as the account's administrator so the next stage can start. \
        Exit 0: every stage passed (with --policy lab: and nothing was refused); 1: a script failed, a score \
        was not reached, or (--policy lab) the lab's policies lack actions its steps take (a finding about the \
        lab content; the stage, script, command and action are named); 2: bad input; 3: could not run \
        (missing tools, ports).
        """
    )

    @OptionGroup var spec: SpecOptions

    @Option(name: .customLong("lab"), help: ArgumentHelp("The folder of the lab's scripts.", valueName: "dir"))
    var labDirectory: String = "fixtures/lab"

    @Option(help: ArgumentHelp("The stages to run (default: stages.yaml in the lab folder).", valueName: "file"))
    var stages: String?

    @OptionGroup var upstreamImages: UpstreamImagesOptions

    @Option(help: ArgumentHelp("The account id of the fake ECR.", valueName: "id"))
    var account: String = "539666729110"

    @Option(help: ArgumentHelp("The region of the fake ECR.", valueName: "region"))
    var region: String = "ap-northeast-1"

    @Option(help: ArgumentHelp("The pull through cache prefix the scripts use (default: public-ecr-<7 random digits>).", valueName: "prefix"))
    var prefix: String?

    @Option(help: ArgumentHelp(
        "lab: run each script first as a principal holding exactly the lab text's pull and push policies (<lab>/policies/*.json) against a fake that enforces IAM, and report every action refused.",
        valueName: "lab"))
    var policy: VerifyLabPolicy?

    @Option(name: .customLong("script-timeout"), help: ArgumentHelp("Seconds one script may run.", valueName: "seconds"))
    var scriptTimeout: Double = 300

    @Option(help: ArgumentHelp("The client the scripts' `docker` runs: docker (with the run's own dockerd) or podman (default: docker when docker and dockerd are installed and dockerd starts, else podman).", valueName: "docker|podman"))
    var client: LabClient?

    @Option(help: ArgumentHelp("The docker client program.", valueName: "path"))
    var docker: String = "docker"

    @Option(help: ArgumentHelp("The docker daemon program verify-lab starts for the run.", valueName: "path"))
    var dockerd: String = "dockerd"

    @Option(help: ArgumentHelp("The podman program the scripts' `docker` runs with --client podman.", valueName: "path"))
    var podman: String = "podman"

    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard account.count == 12, account.allSatisfy(\.isASCII), account.allSatisfy(\.isNumber) else {
            throw ValidationError("--account must be 12 digits, found '\(account)'")
        }
        guard !region.isEmpty, region.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
            throw ValidationError("--region must look like ap-northeast-1, found '\(region)'")
        }
        if let prefix, prefix.count < 2 || prefix.count > 30 || !prefix.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "-_./".contains($0)) }) {
            throw ValidationError("--prefix must be 2 to 30 lowercase letters, digits, '-', '_', '.' or '/', found '\(prefix)'")
        }
        guard scriptTimeout > 0 else { throw ValidationError("--script-timeout must be more than 0, found \(scriptTimeout)") }
    }

    func run() async throws {
        let spec = try self.spec.load()
        let labURL = URL(fileURLWithPath: labDirectory, isDirectory: true).standardizedFileURL
        let stagesURL = stages.map { URL(fileURLWithPath: $0) } ?? labURL.appendingPathComponent("stages.yaml")
        guard FileManager.default.fileExists(atPath: stagesURL.path) else {
            throw CLIError.badInput("\(stagesURL.path): no such file (give the lab's stages with --stages FILE or --lab DIR)")
        }
        let plan = try LabPlanLoader.load(contentsOf: stagesURL, labDirectory: labURL)
        guard plan.labId == spec.id else {
            throw CLIError.badInput("\(stagesURL.path): the stages are for lab '\(plan.labId)', the checks (\(self.spec.specName)) for '\(spec.id)'")
        }
        let dockerInstalled = ToolCheck.resolve(docker) != nil && ToolCheck.resolve(dockerd) != nil
        let chosen = client ?? (dockerInstalled ? .docker : .podman)
        if !LabNamespace.isInside, let reason = LabNamespace.unavailableReason() { throw CLIError.couldNotEvaluate(reason) }
        try ToolCheck.require(["sh", "aws", "unshare"] + (chosen == .docker ? [docker, dockerd] : [podman]))
        if !LabNamespace.isInside { try await LabNamespace.enter(unshare: "unshare") }
        InterruptCleanup.shared.install()
        if client == nil && !dockerInstalled {
            FileHandle.standardError.write(Data("verify-lab: client podman: \(docker) or \(dockerd) is not on PATH (apt-get install docker.io for the docker client)\n".utf8))
        }
        let programs = LabWorld.Programs(
            client: chosen, explicit: client != nil, docker: ToolCheck.resolve(docker) ?? docker, dockerd: ToolCheck.resolve(dockerd) ?? dockerd,
            podman: ToolCheck.resolve(podman) ?? podman)

        let language = self.language.language
        let outputURL = output.outputURL
        let logs = outputURL.appendingPathComponent("verify-lab", isDirectory: true)
        try? FileManager.default.removeItem(at: logs)
        let policies = try policy.map { _ in
            try LabPolicies.load(labDirectory: labURL, account: account, region: region, repositories: Self.pushedRepositories(spec))
        }
        let settings = LabVerifier.Settings(
            spec: spec, plan: plan, labDirectory: labURL, upstreamImages: upstreamImages.url,
            account: account, region: region, prefix: prefix ?? Self.randomPrefix(), scriptTimeout: scriptTimeout, programs: programs,
            logDirectory: logs, policies: policies)
        let verification = try await LabVerifier(settings: settings) { line in
            FileHandle.standardError.write(Data("verify-lab: \(line)\n".utf8))
        }.run()

        try FileManager.default.createDirectory(at: outputURL, withIntermediateDirectories: true)
        let junit = outputURL.appendingPathComponent("verify-lab.junit.xml")
        try VerificationJUnitReport(plan: plan, language: language).data(verification).write(to: junit)
        for outcome in verification.stages { print(VerificationText.stageLine(outcome)) }
        let refusals = VerificationText.refusalLines(verification)
        if !refusals.isEmpty {
            print("refused under the lab's policies (script: command → action):")
            for line in refusals { print(line) }
        }
        if let finding = VerificationText.leastPrivilegeFinding(verification) { print("verify-lab: policy lab: \(finding)") }
        if let failure = VerificationText.failureSummary(verification, language: language) {
            FileHandle.standardError.write(Data("verify-lab: FAILED: \(failure)\n".utf8))
            FileHandle.standardError.write(Data("verify-lab: logs in \(logs.path), JUnit in \(junit.path)\n".utf8))
            throw ExitStatus.failed
        }
        let refused = !verification.refusedActions.isEmpty
        let how = refused ? " (what the lab's policies refused done again as the administrator)" : ""
        print("verify-lab: every stage passed\(how) in \(String(format: "%.1f", verification.durationSeconds)) s; JUnit: \(junit.path)")
        if refused {
            FileHandle.standardError.write(Data("verify-lab: FAILED: the lab's policies lack \(verification.refusedActions.joined(separator: ", ")) (see above)\n".utf8))
            throw ExitStatus.failed
        }
    }

    /// The repositories the lab pushes to (its image steps'), which the lab text's push policy stands for.
    static func pushedRepositories(_ spec: LabSpec) -> [String] {
        var names: [String] = []
        for step in spec.steps {
            if case .imageTagPresent(let check) = step.check, let name = check.repository.render([:]), !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// `public-ecr-` and 7 digits, as the lab's example `public-ecr-9641173`.
    static func randomPrefix() -> String {
        "public-ecr-" + String(Int.random(in: 1_000_000...9_999_999))
    }
}

extension LabClient: ExpressibleByArgument {}

/// `verify-lab --policy`: whose permissions the scripts run with.
enum VerifyLabPolicy: String, CaseIterable, ExpressibleByArgument {
    /// Exactly the lab text's pull and push policies.
    case lab
}
