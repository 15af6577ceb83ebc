import ArgumentParser

/// How to reach an AWS account: the AWS CLI's own options, shared by check, grade and verify-lab.
/// Environment variables (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR, …) work as in the AWS CLI.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A named profile of ~/.aws/config and ~/.aws/credentials.", valueName: "name"))
    var profile: String?

    @Option(help: ArgumentHelp("The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, then the EC2 instance).", valueName: "region"))
    var region: String?

    @Option(name: .customLong("endpoint-url"), help: ArgumentHelp("Send ECR, STS, CloudTrail and IAM calls here instead (e.g. a fake-ecr).", valueName: "url"))
    var endpointURL: String?

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds to wait for a connection.", valueName: "seconds"))
    var connectTimeout: Double = 5

    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Seconds to wait for a whole answer.", valueName: "seconds"))
    var requestTimeout: Double = 30
}
