import Foundation

/// An action a script's command was refused under a policy, as the AWS CLI (`AccessDeniedException … User: <arn>
/// is not authorized to perform: ecr:CreateRepository on resource: <arn> …`) and docker or podman (`denied: User: …`)
/// print it, or as the registry's record of the call says it when the client prints no reason (a refused HEAD has
/// no body: docker and skopeo show only `403 Forbidden`).
public struct PolicyRefusal: Sendable, Hashable {
    /// The traced command that was refused (`aws ecr create-repository --repository-name …`), when the trace names one.
    public var command: String?
    /// The IAM action refused, e.g. `ecr:CreateRepository`.
    public var action: String
    /// The resource it was refused on, when the message names one.
    public var resource: String?

    public init(command: String?, action: String, resource: String?) {
        self.command = command
        self.action = action
        self.resource = resource
    }

    /// The action and resource of an IAM refusal's words (`… is not authorized to perform: ecr:PutImage on resource:
    /// arn:… because …`); nil when `text` is not one.
    public static func parse(message text: some StringProtocol) -> (action: String, resource: String?)? {
        guard let range = text.range(of: "is not authorized to perform: ") else { return nil }
        let rest = text[range.upperBound...]
        let action = String(rest.prefix { !$0.isWhitespace && $0 != "," && $0 != "\"" })
        guard action.contains(":") else { return nil }
        var resource: String?
        if let on = rest.range(of: " on resource: ") {
            resource = String(rest[on.upperBound...].prefix { !$0.isWhitespace && $0 != "," && $0 != "\"" })
        }
        return (action, resource)
    }

    /// A refusal the server recorded (the fake's trail: `errorMessage` of a refused call) and which client made
    /// the call (from its user agent), for the refusals a client's output does not name.
    public struct Recorded: Sendable, Hashable {
        public var action: String
        public var resource: String?
        /// The call came from the AWS CLI (user agent `aws-cli/…`), else from a registry client.
        public var byAWSCLI: Bool

        public init(action: String, resource: String?, byAWSCLI: Bool) {
            self.action = action
            self.resource = resource
            self.byAWSCLI = byAWSCLI
        }

        /// The refusal an error message of a record states; nil when it states none.
        public init?(errorMessage: String?, userAgent: String) {
            guard let errorMessage, let parsed = PolicyRefusal.parse(message: errorMessage) else { return nil }
            self.init(action: parsed.action, resource: parsed.resource, byAWSCLI: userAgent.hasPrefix("aws-cli/"))
        }
    }

    /// Every refusal in a script's output, each with the traced command it belongs to (lines starting with `marker`,
    /// which `sh -x` writes): the AWS CLI's words (`An error occurred (…) when calling the … operation`) to the last
    /// `aws` command traced, a registry client's to the last `docker`, `podman` or `skopeo` command (a pipeline's
    /// commands are traced together before either prints), anything else to the last command; one per command and
    /// action. A `recorded` refusal no output line names is given to the first command of the same client whose
    /// output shows a refusal without naming the action (`denied`, `403`, `Forbidden`), else to no command.
    public static func all(in output: String, traceMarker marker: String, recorded: [Recorded] = []) -> [PolicyRefusal] {
        var found: [PolicyRefusal] = []
        var unnamed: [String] = []
        var last: String?, lastAWS: String?, lastClient: String?
        var lastAWSWhole = true
        let fragment = marker.trimmingCharacters(in: .whitespaces)
        func add(_ refusal: PolicyRefusal) {
            if !found.contains(where: { $0.command == refusal.command && $0.action == refusal.action }) { found.append(refusal) }
        }
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix(marker) {
                var text = line, markers = 0
                while text.hasPrefix(marker) { text = text.dropFirst(marker.count); markers += 1 }
                let command = String(text)
                last = command
                if isAWSCLI(command) {
                    lastAWS = command
                    // Another process's marker on the line means its words may be among these.
                    lastAWSWhole = markers == 1 && !command.contains(fragment)
                }
                if isRegistryClient(command) { lastClient = command }
                continue
            }
            let byAWSCLI = line.contains("An error occurred (") && line.contains(" operation")
            var command = (byAWSCLI ? lastAWS : lastClient) ?? last
            if let parsed = parse(message: line) {
                if byAWSCLI, let rebuilt = awsCommand(refusedIn: line, resource: parsed.resource),
                   !(command.map { trusted($0, whole: lastAWSWhole, prefix: rebuilt.prefix, resource: parsed.resource) } ?? false) {
                    command = rebuilt.command
                }
                add(PolicyRefusal(command: command, action: parsed.action, resource: parsed.resource))
            } else if let command, looksRefused(line), !unnamed.contains(command) {
                unnamed.append(command)
            }
        }
        for refusal in recorded where !found.contains(where: { $0.action == refusal.action && $0.resource == refusal.resource }) {
            let owner = unnamed.first { isAWSCLI($0) == refusal.byAWSCLI }
            add(PolicyRefusal(command: owner, action: refusal.action, resource: refusal.resource))
        }
        return found
    }

    /// The AWS CLI command an error line (`… when calling the ListImages operation: …`) came from, when the last
    /// traced `aws` command cannot be trusted (see `trusted`): dash writes each word of a trace line by itself, so
    /// the traces of a pipeline's commands (`aws … | tr … | sort -u`), forked together, can interleave and leave the
    /// `aws` one unreadable or with another command's words in it. Rebuilt from the operation and the refused
    /// repository (`aws ecr list-images --repository-name N`); `prefix` is the `aws <service> <operation>` a traced
    /// command of that operation starts with.
    static func awsCommand(refusedIn line: Substring, resource: String?) -> (prefix: String, command: String)? {
        guard let start = line.range(of: "when calling the "), let end = line[start.upperBound...].range(of: " operation") else { return nil }
        let operation = line[start.upperBound..<end.lowerBound]
        guard !operation.isEmpty, operation.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        var kebab = ""
        for character in operation {
            if character.isUppercase, !kebab.isEmpty { kebab.append("-") }
            kebab.append(contentsOf: character.lowercased())
        }
        let service = resource.flatMap { $0.split(separator: ":", omittingEmptySubsequences: false).dropFirst(2).first }.map(String.init) ?? "ecr"
        let prefix = "aws \(service) \(kebab)"
        guard let repository = repository(in: resource) else { return (prefix, prefix) }
        return (prefix, prefix + " --repository-name " + repository)
    }

    /// The one repository an ARN names (`arn:aws:ecr:…:repository/N`); nil for another resource or `repository/*`.
    static func repository(in resource: String?) -> Substring? {
        guard let resource, let slash = resource.range(of: ":repository/"), !resource.hasSuffix("/*") else { return nil }
        return resource[slash.upperBound...]
    }

    /// Whether the last traced `aws` command can be named for a refusal of `prefix`'s operation on `resource`: its
    /// trace line was whole (one marker, none inside), it is that operation, and it names the refused repository.
    static func trusted(_ command: String, whole: Bool, prefix: String, resource: String?) -> Bool {
        guard whole, command == prefix || command.hasPrefix(prefix + " ") else { return false }
        guard let repository = repository(in: resource) else { return true }
        return command.split(separator: " ").contains { $0 == repository || $0.hasSuffix("=" + repository) }
    }

    /// A line of a client's output that says a call was refused without naming the action.
    static func looksRefused(_ line: Substring) -> Bool {
        let lower = line.lowercased()
        return lower.contains("denied") || lower.contains("403") || lower.contains("forbidden") || lower.contains("accessdenied")
    }

    static func isAWSCLI(_ command: String) -> Bool { command == "aws" || command.hasPrefix("aws ") }

    static func isRegistryClient(_ command: String) -> Bool {
        ["docker", "podman", "skopeo"].contains { command == $0 || command.hasPrefix($0 + " ") }
    }
}
