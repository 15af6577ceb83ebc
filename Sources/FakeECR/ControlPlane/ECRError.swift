import ECRWire
import Foundation

/// An error the fake answers as ECR would: a code (`__type`), a message and an HTTP status.
public struct ECRError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ECRErrorCode
    public var message: String
    public var status: Int

    public init(_ code: ECRErrorCode, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// The `__type` of the answer.
    public var type: String { code.rawValue }

    public var description: String { "\(type): \(message)" }

    // MARK: repositories

    static func repositoryNotFound(_ name: String, _ registryId: String) -> ECRError {
        ECRError(.repositoryNotFound, "The repository with name '\(name)' does not exist in the registry with id '\(registryId)'")
    }
    static func repositoryAlreadyExists(_ name: String, _ registryId: String) -> ECRError {
        ECRError(.repositoryAlreadyExists, "The repository with name '\(name)' already exists in the registry with id '\(registryId)'")
    }
    static func repositoryNotEmpty(_ name: String, _ registryId: String) -> ECRError {
        ECRError(
            .repositoryNotEmpty,
            "The repository with name '\(name)' in registry with id '\(registryId)' cannot be deleted because it still contains images")
    }
    static func invalidRepositoryName(_ field: String = "repositoryName") -> ECRError {
        invalidParameter(field, "'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''")
    }
    static func lifecyclePolicyNotFound(_ name: String, _ registryId: String) -> ECRError {
        ECRError(
            .lifecyclePolicyNotFound,
            "Lifecycle policy does not exist for the repository with name '\(name)' in the registry with id '\(registryId)'")
    }
    static func repositoryPolicyNotFound(_ name: String, _ registryId: String) -> ECRError {
        ECRError(
            .repositoryPolicyNotFound,
            "Repository policy does not exist for the repository with name '\(name)' in the registry with id '\(registryId)'")
    }

    // MARK: images

    static func imageNotFound(_ id: ImageIdentifier, _ name: String, _ registryId: String) -> ECRError {
        ECRError(
            .imageNotFound,
            "The image with imageId {imageDigest:'\(id.imageDigest ?? "null")', imageTag:'\(id.imageTag ?? "null")'} does not exist within the repository with name '\(name)' in the registry with id '\(registryId)'")
    }
    static func imageAlreadyExists(digest: String, tag: String?, _ name: String, _ registryId: String) -> ECRError {
        ECRError(
            .imageAlreadyExists,
            "Image with digest '\(digest)' and tag '\(tag ?? "null")' already exists in the repository with name '\(name)' in registry with id '\(registryId)'")
    }
    static func imageTagAlreadyExists(tag: String, _ name: String) -> ECRError {
        ECRError(
            .imageTagAlreadyExists,
            "The image tag '\(tag)' already exists in the '\(name)' repository and cannot be overwritten because the tag is immutable.")
    }

    /// An `imageManifest` that is not JSON, or not of the shape its media type requires.
    static func invalidManifest() -> ECRError { invalidParameter("imageManifest", "'Invalid JSON syntax'") }
    static func layersNotFound(_ digests: [String], _ name: String, _ registryId: String) -> ECRError {
        ECRError(
            .layersNotFound,
            "Layers with digests '[\(digests.joined(separator: ", "))]' required for pushing image into repository with name '\(name)' in registry with id '\(registryId)' do not exist")
    }
    static func referencedImagesNotFound(_ digests: [String], _ name: String, _ registryId: String) -> ECRError {
        ECRError(
            .referencedImagesNotFound,
            "Manifests with digests '[\(digests.joined(separator: ", "))]' referenced by the image index do not exist in the repository with name '\(name)' in registry with id '\(registryId)'")
    }

    // MARK: pull through cache

    static func ruleNotFound(_ prefix: String, _ registryId: String) -> ECRError {
        ECRError(
            .pullThroughCacheRuleNotFound,
            "The pull through cache rule with ECR repository prefix '\(prefix)' does not exist in the registry with id '\(registryId)'")
    }

    // MARK: validation

    /// ECR's wording for a parameter that fails a constraint.
    static func invalidParameter(_ field: String, _ constraint: String) -> ECRError {
        ECRError(.invalidParameter, "Invalid parameter at '\(field)' failed to satisfy constraint: \(constraint)")
    }
    /// The AWS-wide wording of a model validation failure (ValidationException).
    static func validation(_ value: String?, _ field: String, _ constraint: String) -> ECRError {
        let shown = value.map { "'\($0)'" } ?? "null"
        return ECRError(.validation, "1 validation error detected: Value \(shown) at '\(field)' failed to satisfy constraint: \(constraint)")
    }
    static func serialization(_ message: String) -> ECRError { ECRError(.serialization, message) }
    static func unknownOperation() -> ECRError { ECRError(.unknownOperation, "") }
    static func server(_ message: String) -> ECRError { ECRError(.server, message, status: 500) }
}
