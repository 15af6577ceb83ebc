import Foundation

/// The AWS managed policies an accounts file or AttachUserPolicy may attach by ARN. Their
/// documents are AWS's, as published in the AWS Managed Policy Reference
/// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2ContainerRegistryReadOnly.html, v3).
enum AWSManagedPolicies {
    static let all: [String: String] = [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly": #"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:GetRepositoryPolicy","ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages","ecr:BatchGetImage","ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview","ecr:ListTagsForResource","ecr:DescribeImageScanFindings"],"Resource":"*"}]}
        """#
    ]

    static var arns: [String] { all.keys.sorted() }

    /// The policy text of an AWS managed policy; nil for any other ARN.
    static func document(arn: String) -> String? { all[arn] }
}
