import ECRWire
import Foundation

/// Which upstream registry a pull through cache rule's URL names, as ECR derives it.
public enum UpstreamRegistryResolver {
    /// The upstream kind of `url`, or nil when ECR does not support that registry.
    public static func registry(for url: String) -> UpstreamRegistry? {
        let host = url.lowercased()
        switch host {
        case "public.ecr.aws": return .ecrPublic
        case "registry.k8s.io": return .k8s
        case "quay.io": return .quay
        case "registry-1.docker.io": return .dockerHub
        case "ghcr.io": return .githubContainerRegistry
        case "registry.gitlab.com": return .gitlabContainerRegistry
        case "cgr.dev": return .chainguard
        default: break
        }
        if host.hasSuffix(".azurecr.io"), host.count > ".azurecr.io".count { return .azureContainerRegistry }
        if isPrivateECR(host) { return .ecr }
        return nil
    }

    /// Whether the upstream needs a Secrets Manager secret (`credentialArn`).
    public static func requiresCredential(_ registry: UpstreamRegistry) -> Bool {
        [.dockerHub, .githubContainerRegistry, .gitlabContainerRegistry, .azureContainerRegistry].contains(registry)
    }

    /// `<12 digits>.dkr.ecr.<region>.amazonaws.com`
    static func isPrivateECR(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[1] == "dkr", parts[2] == "ecr", parts[4] == "amazonaws", parts[5] == "com" else { return false }
        return parts[0].count == 12 && parts[0].allSatisfy(\.isNumber) && !parts[3].isEmpty
    }

    /// Whether two prefixes overlap: equal, or one is a whole-component prefix of the other.
    public static func prefixesOverlap(_ a: String, _ b: String) -> Bool {
        let left = a.hasSuffix("/") ? String(a.dropLast()) : a
        let right = b.hasSuffix("/") ? String(b.dropLast()) : b
        if left == right { return true }
        if left == "ROOT" || right == "ROOT" { return false }
        return left.hasPrefix(right + "/") || right.hasPrefix(left + "/")
    }
}
