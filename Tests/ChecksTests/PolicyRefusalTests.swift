import Checks
import Testing

/// Reading refusals out of a script's `sh -x` output: the AWS CLI's and a registry client's words, the command each
/// belongs to, and the refusals only the registry's record names (a refused HEAD has no body).
@Suite("Policy refusals in script output")
struct PolicyRefusalTests {
    static let marker = "+ [labcheck] "
    static let user = "arn:aws:iam::539666729110:user/lab-student"
    static let repository = "arn:aws:ecr:ap-northeast-1:539666729110:repository/public.ecr.aws/nginx/nginx"

    static func denied(_ action: String, on resource: String) -> String {
        "User: \(user) is not authorized to perform: \(action) on resource: \(resource) because no identity-based policy allows the \(action) action"
    }

    @Test("the AWS CLI's refusal names the action and resource; it belongs to the aws command of a pipeline, not to the last one traced")
    func awsCLIRefusals() {
        let output = """
            \(Self.marker)aws ecr create-repository --repository-name public.ecr.aws/nginx/nginx

            An error occurred (AccessDeniedException) when calling the CreateRepository operation: \(Self.denied("ecr:CreateRepository", on: Self.repository))
            \(Self.marker)aws ecr list-images --repository-name public.ecr.aws/nginx/nginx --query imageIds[*].imageDigest --output text
            \(Self.marker)tr \\t \\n
            \(Self.marker)sort -u

            An error occurred (AccessDeniedException) when calling the ListImages operation: \(Self.denied("ecr:ListImages", on: Self.repository))
            """
        let refusals = PolicyRefusal.all(in: output, traceMarker: Self.marker)
        #expect(refusals == [
            PolicyRefusal(command: "aws ecr create-repository --repository-name public.ecr.aws/nginx/nginx", action: "ecr:CreateRepository", resource: Self.repository),
            PolicyRefusal(
                command: "aws ecr list-images --repository-name public.ecr.aws/nginx/nginx --query imageIds[*].imageDigest --output text",
                action: "ecr:ListImages", resource: Self.repository),
        ])
    }

    /// dash writes each word of a trace line by itself, so the traces of a pipeline's commands interleave (seen in
    /// a loaded full test run); the refusal then belongs to the command its error line names, not to the last
    /// readable `aws` trace.
    @Test("an aws command whose trace dash interleaved with its pipeline's is rebuilt from the refusal's operation and repository")
    func interleavedTraces() {
        let output = """
            \(Self.marker)aws ecr delete-pull-through-cache-rule --ecr-repository-prefix public-ecr-1

            An error occurred (AccessDeniedException) when calling the DeletePullThroughCacheRule operation: \(Self.denied("ecr:DeletePullThroughCacheRule", on: "arn:aws:ecr:ap-northeast-1:539666729110:repository/*"))
            \(Self.marker)\(Self.marker)tr \\t
            aws ecr \(Self.marker)sort list-images --repository-name -u
            public.ecr.aws/nginx/nginx \\n --query imageIds[*].imageDigest --output text

            An error occurred (AccessDeniedException) when calling the ListImages operation: \(Self.denied("ecr:ListImages", on: Self.repository))
            """
        let refusals = PolicyRefusal.all(in: output, traceMarker: Self.marker)
        #expect(refusals == [
            PolicyRefusal(
                command: "aws ecr delete-pull-through-cache-rule --ecr-repository-prefix public-ecr-1", action: "ecr:DeletePullThroughCacheRule",
                resource: "arn:aws:ecr:ap-northeast-1:539666729110:repository/*"),
            PolicyRefusal(command: "aws ecr list-images --repository-name public.ecr.aws/nginx/nginx", action: "ecr:ListImages", resource: Self.repository),
        ])
    }

    /// Two lines of a CI run's trace (the `--policy lab` verify-lab test, podman): the `aws` command's trace starts
    /// with its operation but has another process's marker and words inside, so the first test above did not catch it.
    @Test("an aws trace with another command's marker or words inside is not named; the command is rebuilt from the refusal")
    func tracesWithForeignWords() {
        let autoscaler = "arn:aws:ecr:ap-northeast-1:539666729110:repository/registry.k8s.io/autoscaling/cluster-autoscaler"
        let output = """
            \(Self.marker)aws ecr list-images --repository-name+ [labcheck]  public.ecr.aws/nginx/nginx --query imageIds[*].imageDigest --output+ [labcheck]  text

            An error occurred (AccessDeniedException) when calling the ListImages operation: \(Self.denied("ecr:ListImages", on: Self.repository))
            \(Self.marker)aws ecr list-images --repository-name registry.k8s.io/autoscaling/cluster-autoscaler+sort --query imageIds[*].imageDigest

            An error occurred (AccessDeniedException) when calling the ListImages operation: \(Self.denied("ecr:ListImages", on: autoscaler))
            \(Self.marker)aws ecr delete-repository --repository-name=registry.k8s.io/autoscaling/cluster-autoscaler --force

            An error occurred (AccessDeniedException) when calling the DeleteRepository operation: \(Self.denied("ecr:DeleteRepository", on: autoscaler))
            """
        #expect(PolicyRefusal.all(in: output, traceMarker: Self.marker) == [
            PolicyRefusal(command: "aws ecr list-images --repository-name public.ecr.aws/nginx/nginx", action: "ecr:ListImages", resource: Self.repository),
            PolicyRefusal(
                command: "aws ecr list-images --repository-name registry.k8s.io/autoscaling/cluster-autoscaler", action: "ecr:ListImages", resource: autoscaler),
            PolicyRefusal(
                command: "aws ecr delete-repository --repository-name=registry.k8s.io/autoscaling/cluster-autoscaler --force",
                action: "ecr:DeleteRepository", resource: autoscaler),
        ])
    }

    @Test("a registry client's `denied:` line names the action; one whose output names none gets the registry's record of the refusal")
    func registryClientRefusals() {
        let named = """
            \(Self.marker)aws ecr get-login-password --region ap-northeast-1
            \(Self.marker)docker login --username AWS --password-stdin 539666729110.dkr.ecr.ap-northeast-1.amazonaws.com
            Login Succeeded
            \(Self.marker)docker push 539666729110.dkr.ecr.ap-northeast-1.amazonaws.com/public.ecr.aws/nginx/nginx:1.27
            denied: \(Self.denied("ecr:PutImage", on: Self.repository))
            """
        #expect(PolicyRefusal.all(in: named, traceMarker: Self.marker) == [
            PolicyRefusal(command: "docker push 539666729110.dkr.ecr.ap-northeast-1.amazonaws.com/public.ecr.aws/nginx/nginx:1.27", action: "ecr:PutImage", resource: Self.repository),
        ])

        let unnamed = """
            \(Self.marker)docker pull 539666729110.dkr.ecr.ap-northeast-1.amazonaws.com/public-ecr-1/nginx/nginx:1.27
            Error response from daemon: unknown: 403 Forbidden
            """
        let recorded = PolicyRefusal.Recorded(
            errorMessage: Self.denied("ecr:BatchImportUpstreamImage", on: Self.repository), userAgent: "docker/26.1.5 go/go1.22.2")
        #expect(recorded?.byAWSCLI == false)
        let refusals = PolicyRefusal.all(in: unnamed, traceMarker: Self.marker, recorded: [recorded].compactMap { $0 })
        #expect(refusals == [
            PolicyRefusal(command: "docker pull 539666729110.dkr.ecr.ap-northeast-1.amazonaws.com/public-ecr-1/nginx/nginx:1.27",
                          action: "ecr:BatchImportUpstreamImage", resource: Self.repository),
        ])
        // A record the output already names adds nothing; one of the AWS CLI is not given to a docker command.
        let cli = PolicyRefusal.Recorded(errorMessage: Self.denied("ecr:ListImages", on: Self.repository), userAgent: "aws-cli/2.17.0 Python/3.12")
        #expect(PolicyRefusal.all(in: unnamed, traceMarker: Self.marker, recorded: [cli].compactMap { $0 }).first?.command == nil)
        #expect(PolicyRefusal.Recorded(errorMessage: "The repository with name 'x' does not exist", userAgent: "aws-cli/2") == nil)
    }
}
