import Foundation
import HTTPTypes

/// An error of the registry data plane (`/v2/`), sent as an OCI distribution error body:
/// `{"errors":[{"code":…,"message":…,"detail":{}}]}`. Messages follow ECR's wording where known.
struct DistributionError: Error, Sendable, CustomStringConvertible {
    var code: String
    var message: String
    var status: HTTPResponse.Status
    /// Extra response headers (e.g. `WWW-Authenticate` of a 401).
    var headers: [(String, String)] = []

    init(_ code: String, _ message: String, status: HTTPResponse.Status, headers: [(String, String)] = []) {
        self.code = code
        self.message = message
        self.status = status
        self.headers = headers
    }

    var description: String { "\(code) (\(status.code)): \(message)" }

    static func unauthorized(challenge: String, _ message: String = "Not Authorized") -> DistributionError {
        DistributionError("UNAUTHORIZED", message, status: .unauthorized, headers: [("WWW-Authenticate", challenge)])
    }

    static func expiredToken() -> DistributionError {
        DistributionError("DENIED", "Your authorization token has expired. Reauthenticate and try again.", status: .forbidden)
    }

    static func denied(_ message: String) -> DistributionError { DistributionError("DENIED", message, status: .forbidden) }

    static func nameUnknown(_ name: String, _ accountId: String) -> DistributionError {
        DistributionError(
            "NAME_UNKNOWN", "The repository with name '\(name)' does not exist in the registry with id '\(accountId)'", status: .notFound)
    }

    static func nameInvalid(_ name: String) -> DistributionError {
        DistributionError(
            "NAME_INVALID",
            "Invalid repository name '\(name)': it must match '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*' and be 2 to 256 characters",
            status: .badRequest)
    }

    static func manifestUnknown(_ message: String = "Requested image not found") -> DistributionError {
        DistributionError("MANIFEST_UNKNOWN", message, status: .notFound)
    }

    static func manifestInvalid(_ message: String) -> DistributionError { DistributionError("MANIFEST_INVALID", message, status: .badRequest) }

    static func manifestBlobUnknown(_ digest: String, _ name: String) -> DistributionError {
        DistributionError(
            "MANIFEST_BLOB_UNKNOWN", "The manifest references '\(digest)', which was not uploaded to (or mounted into) the repository '\(name)' (push it first)",
            status: .badRequest)
    }

    static func blobUnknown(_ digest: String, _ name: String, _ accountId: String) -> DistributionError {
        DistributionError(
            "BLOB_UNKNOWN", "Layer with digest '\(digest)' does not exist in the repository with name '\(name)' in the registry with id '\(accountId)'",
            status: .notFound)
    }

    static func blobUploadUnknown(_ id: String) -> DistributionError {
        DistributionError("BLOB_UPLOAD_UNKNOWN", "The upload '\(id)' is unknown to this registry (it was completed, cancelled or never started)", status: .notFound)
    }

    static func digestInvalid(_ message: String) -> DistributionError { DistributionError("DIGEST_INVALID", message, status: .badRequest) }

    static func tagInvalid(_ message: String) -> DistributionError { DistributionError("TAG_INVALID", message, status: .badRequest) }

    static func tagImmutable(_ tag: String, _ name: String) -> DistributionError {
        tagInvalid("The image tag '\(tag)' already exists in the '\(name)' repository and cannot be overwritten because the repository is immutable.")
    }

    static func sizeInvalid(_ message: String) -> DistributionError { DistributionError("SIZE_INVALID", message, status: .badRequest) }

    static func rangeInvalid(_ message: String) -> DistributionError {
        DistributionError("BLOB_UPLOAD_INVALID", message, status: .rangeNotSatisfiable)
    }

    /// A blob GET's `Range` that starts beyond the blob: S3's answer (it serves ECR's layers).
    static func rangeNotSatisfiable(size: Int64) -> DistributionError {
        DistributionError(
            "InvalidRange", "The requested range is not satisfiable: the blob has \(size) bytes", status: .rangeNotSatisfiable,
            headers: [("Content-Range", "bytes */\(size)")])
    }

    static func unsupported(_ message: String) -> DistributionError { DistributionError("UNSUPPORTED", message, status: .methodNotAllowed) }

    static func paginationInvalid(_ value: String) -> DistributionError {
        DistributionError("PAGINATION_NUMBER_INVALID", "Invalid number of results requested: '\(value)' (expected 0 to 1000)", status: .badRequest)
    }

    static func unavailable(_ message: String) -> DistributionError { DistributionError("UNAVAILABLE", message, status: .serviceUnavailable) }

    static func internalError(_ message: String) -> DistributionError { DistributionError("UNKNOWN", message, status: .internalServerError) }
}
