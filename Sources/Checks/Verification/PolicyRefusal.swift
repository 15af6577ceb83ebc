import Foundation

/// An action a script's command was refused under a policy, as the AWS CLI (`AccessDeniedException … User: <arn>
/// is not authorized to perform: ecr:CreateRepository on resource: <arn> …`) and docker or podman (`denied: User: …`)
/// print it.
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

    /// Every refusal in a script's output, each with the traced command before it (lines starting with `marker`,
    /// which `sh -x` writes); one per command and action.
    public static func all(in output: String, traceMarker marker: String) -> [PolicyRefusal] {
        var found: [PolicyRefusal] = []
        var command: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix(marker) {
                var text = line
                while text.hasPrefix(marker) { text = text.dropFirst(marker.count) }
                command = String(text)
                continue
            }
            guard let range = line.range(of: "is not authorized to perform: ") else { continue }
            let rest = line[range.upperBound...]
            let action = String(rest.prefix { !$0.isWhitespace && $0 != "," && $0 != "\"" })
            guard action.contains(":") else { continue }
            var resource: String?
            if let on = rest.range(of: " on resource: ") {
                resource = String(rest[on.upperBound...].prefix { !$0.isWhitespace && $0 != "," && $0 != "\"" })
            }
            let refusal = PolicyRefusal(command: command, action: action, resource: resource)
            if !found.contains(where: { $0.command == refusal.command && $0.action == refusal.action }) { found.append(refusal) }
        }
        return found
    }
}
