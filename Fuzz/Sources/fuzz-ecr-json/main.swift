import AWSCore
import ECRWire
import Foundation
import FuzzSupport

// ECR JSON 1.1 answers decoded the way `JSONProtocol.call` decodes them (`JSONProtocol.decodeAnswer`),
// and error answers (`JSONProtocol.decodeError`). The first byte picks the shape, the rest is the body.
// A body that does not fit is a `SerializationException`, never a crash.
let decoders: [(String, (AWSHTTPResponse) throws -> Void)] = [
    ("DescribeRepositories", { _ = try JSONProtocol.decodeAnswer(DescribeRepositoriesResponse.self, from: $0, operation: "DescribeRepositories", qualified: "ecr:DescribeRepositories") }),
    ("DescribeImages", { _ = try JSONProtocol.decodeAnswer(DescribeImagesResponse.self, from: $0, operation: "DescribeImages", qualified: "ecr:DescribeImages") }),
    ("ListImages", { _ = try JSONProtocol.decodeAnswer(ListImagesResponse.self, from: $0, operation: "ListImages", qualified: "ecr:ListImages") }),
    ("BatchGetImage", { _ = try JSONProtocol.decodeAnswer(BatchGetImageResponse.self, from: $0, operation: "BatchGetImage", qualified: "ecr:BatchGetImage") }),
    ("DescribePullThroughCacheRules", {
        _ = try JSONProtocol.decodeAnswer(DescribePullThroughCacheRulesResponse.self, from: $0, operation: "DescribePullThroughCacheRules", qualified: "ecr:DescribePullThroughCacheRules")
    }),
    ("GetAuthorizationToken", { _ = try JSONProtocol.decodeAnswer(GetAuthorizationTokenResponse.self, from: $0, operation: "GetAuthorizationToken", qualified: "ecr:GetAuthorizationToken") }),
    ("DescribeRegistry", { _ = try JSONProtocol.decodeAnswer(DescribeRegistryResponse.self, from: $0, operation: "DescribeRegistry", qualified: "ecr:DescribeRegistry") }),
    ("CreateRepository", { _ = try JSONProtocol.decodeAnswer(CreateRepositoryResponse.self, from: $0, operation: "CreateRepository", qualified: "ecr:CreateRepository") }),
]

FuzzDriver.run { data in
    guard let selector = data.first else { return }
    let body = Data(data.dropFirst())
    let response = AWSHTTPResponse(status: 200, headers: [HTTPHeaderField(name: "x-amzn-RequestId", value: "fuzz")], body: body)
    let (operation, decode) = decoders[Int(selector) % decoders.count]
    do {
        try decode(response)
    } catch let error as AWSServiceError {
        if error.code != "SerializationException" { FuzzDriver.fail("\(operation): unexpected code \(error.code)") }
    } catch {
        FuzzDriver.fail("\(operation): decodeAnswer threw \(type(of: error)), not AWSServiceError: \(error)")
    }
    _ = JSONProtocol.decodeError(AWSHTTPResponse(status: 400, headers: [], body: body)).description
}
