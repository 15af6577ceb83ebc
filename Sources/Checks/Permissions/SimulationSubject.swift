import Foundation

/// Whose policies the simulator evaluates for a caller: SimulatePrincipalPolicy takes a user or role ARN, so an
/// assumed role's session (`arn:aws:sts::…:assumed-role/Role/session`, what STS says the caller is) is simulated
/// as its role (`arn:aws:iam::…:role/Role`).
public enum SimulationSubject: Sendable, Equatable {
    /// A user or role ARN to simulate.
    case principal(String)
    /// The account's root user: IAM policies do not limit it.
    case root(account: String)
    /// A caller the simulator cannot take (a federated user), with the reason.
    case unsupported(String)

    public static func of(callerArn arn: String) -> SimulationSubject {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn" else { return .unsupported("'\(arn)' is not an ARN") }
        let (partition, service, account, resource) = (parts[1], parts[2], parts[4], parts[5])
        switch service {
        case "iam" where resource == "root":
            return .root(account: account)
        case "iam" where resource.hasPrefix("user/") || resource.hasPrefix("role/"):
            return .principal(arn)
        case "sts" where resource.hasPrefix("assumed-role/"):
            let path = resource.dropFirst("assumed-role/".count).split(separator: "/")
            guard let role = path.first else { return .unsupported("'\(arn)' names no role") }
            // The session ARN carries the role's name, not its path: a role with a path (role/teams/x) is
            // simulated at role/x, which IAM does not find (named in the error), so use `principal:` for it.
            return .principal("arn:\(partition):iam::\(account):role/\(role)")
        case "sts" where resource.hasPrefix("federated-user/"):
            return .unsupported("\(arn) is a federated user; the policy simulator takes only users and roles")
        default:
            return .unsupported("the policy simulator cannot evaluate \(arn); it takes IAM users and roles")
        }
    }
}
