import ECRWire
import FakeECR
import FakeECRTesting
import Foundation
import Testing

/// The operation names and error codes generated from the botocore model, as the client and the fake use them.
@Suite("ECR wire names")
struct ECRWireNamesTests {
    @Test func operationsAndTargets() {
        #expect(ECROperation.putImage.rawValue == "PutImage")
        #expect(ECROperation.describeRepositories.target == "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories")
        #expect(ECROperation(target: ECROperation.batchDeleteImage.target) == .batchDeleteImage)
        #expect(ECROperation(target: "AmazonEC2ContainerRegistry_V20150921.NoSuchOperation") == nil)
        #expect(ECROperation(target: "AWSCognitoIdentityService.PutImage") == nil)
        for operation in ECROperation.allCases { #expect(ECROperation(target: operation.target) == operation) }
        for nearMiss in [
            "", "AmazonEC2ContainerRegistry_V20150921", "AmazonEC2ContainerRegistry_V20150921.", "AmazonEC2ContainerRegistry_V20150921PutImage",
            "AmazonEC2ContainerRegistry_V20150921:PutImage", "AmazonEC2ContainerRegistry_V20150921.putImage",
            "AmazonEC2ContainerRegistry_V20150921.PutImage ", "AmazonEC2ContainerRegistry_V20150921..PutImage",
            " AmazonEC2ContainerRegistry_V20150921.PutImage", "amazonec2containerregistry_v20150921.PutImage",
            "AmazonEC2ContainerRegistry_V20150921.\u{301}PutImage", "AmazonEC2ContainerRegistry_V20150921.PutImage\u{301}",
            "AmazonEC2ContainerRegistry_V20150922.PutImage", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
        ] {
            #expect(ECROperation(target: nearMiss) == nil, "\(nearMiss.debugDescription)")
        }
        #expect(CloudTrailOperation(target: CloudTrailOperation.lookupEvents.target) == .lookupEvents)
        #expect(CloudTrailOperation(target: ECROperation.putImage.target) == nil)
        #expect(ECRClient.targetPrefix == ECRService.targetPrefix)
        #expect(ECRClient.maxPageSize == 1000)
        for operation in ECROperation.allCases {
            #expect(!operation.errors.isEmpty, "\(operation.rawValue) lists no errors")
            #expect(operation.errors.allSatisfy(ECRErrorCode.modelErrors.contains), "\(operation.rawValue)")
        }
    }

    @Test func errorCodesTheFakeAnswersAreTheModels() async throws {
        #expect(ECRErrorCode.imageTagAlreadyExists.rawValue == "ImageTagAlreadyExistsException")
        #expect(ECROperation.putImage.errors.contains(.imageAlreadyExists))
        #expect(ECROperation.putImage.errors.contains(.imageTagAlreadyExists))
        #expect(!ECRErrorCode.modelErrors.contains(.serialization), "a protocol error, not a shape of the model")
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"app"}"#)
            try await fake.uploadTestBlobs(to: "app")
            let manifest = testManifest(seed: "x")
            _ = try await fake.ecr("PutImage", object: ["repositoryName": "app", "imageManifest": manifest, "imageTag": "v1"])
            let answers = [
                try await fake.ecr("PutImage", object: ["repositoryName": "app", "imageManifest": manifest, "imageTag": "v1"]),
                try await fake.ecr("PutImage", object: ["repositoryName": "nope", "imageManifest": manifest]),
                try await fake.ecr("PutImage", object: ["repositoryName": "app", "imageManifest": "not json"]),
            ]
            for answer in answers {
                let code = ECRErrorCode(rawValue: answer.errorType ?? "")
                #expect(ECROperation.putImage.errors.contains(code), "\(code) is not a PutImage error of the model")
            }
        }
    }

    @Test func modelOperationsTheFakeDoesNotServeAreUnknown() async throws {
        try await TestFakeECR.with(FakeECRConfiguration()) { fake in
            expectECRError(try await fake.ecr(ECROperation.createRepositoryCreationTemplate.rawValue, #"{"prefix":"app","appliedFor":["REPLICATION"]}"#), "UnknownOperationException")
            expectECRError(try await fake.ecr(ECROperation.initiateLayerUpload.rawValue, #"{"repositoryName":"app"}"#), "UnknownOperationException")
            expectECRError(try await fake.ecr("NoSuchOperation"), "UnknownOperationException")
        }
    }
}
