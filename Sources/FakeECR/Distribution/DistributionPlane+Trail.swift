import ECRWire
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// What a `/v2/` handler learns that the trail record needs (the manifest of a push, whether a pull
/// through the cache created the repository). One per request.
final class TrailNote: Sendable {
    private struct State {
        var parameters: [String: JSONValue] = [:]
        var createdRepository = false
    }

    private let state = Mutex(State())

    func set(_ name: String, _ value: JSONValue) { state.withLock { $0.parameters[name] = value } }
    var parameters: [String: JSONValue] { state.withLock { $0.parameters } }
    var createdRepository: Bool {
        get { state.withLock { $0.createdRepository } }
        set { state.withLock { $0.createdRepository = newValue } }
    }
}

/// The `/v2/` requests as CloudTrail logs them: as the ECR API actions they stand for (a push's
/// `InitiateLayerUpload`, `UploadLayerPart`, `CompleteLayerUpload`, `PutImage`; a pull's
/// `BatchGetImage`, `GetDownloadUrlForLayer`; a blob HEAD's `BatchCheckLayerAvailability`).
extension DistributionPlane {
    func record(
        _ route: DistributionRoute, request: Request, response: Response, failure: DistributionError?, key: RegistryKey, caller: AccessPrincipal,
        note: TrailNote, exchange: TrailRequest, now: Date
    ) async {
        guard let name = route.repositoryName else { return }
        let eventName = route.ecrAction(request.method)
        var parameters: [String: JSONValue] = ["repositoryName": .string(name), "registryId": .string(key.accountId)]
        var elements: JSONValue?
        let query = Self.query(request.uri.query)
        switch route {
        case .manifest(_, let reference):
            let id: JSONValue = .object([reference.hasPrefix("sha256:") ? "imageDigest" : "imageTag": .string(reference)])
            if request.method == .put {
                parameters[reference.hasPrefix("sha256:") ? "imageDigest" : "imageTag"] = .string(reference)
                parameters.merge(note.parameters) { _, noted in noted }
                if failure == nil, let digest = self.header("Docker-Content-Digest", of: response) {
                    var imageId: [String: JSONValue] = ["imageDigest": .string(digest)]
                    if !reference.hasPrefix("sha256:") { imageId["imageTag"] = .string(reference) }
                    var image: [String: JSONValue] = ["registryId": .string(key.accountId), "repositoryName": .string(name), "imageId": .object(imageId)]
                    image["imageManifestMediaType"] = note.parameters["imageManifestMediaType"]
                    elements = .object(["image": .object(image)])
                }
            } else {
                parameters["imageIds"] = .array([id])
                let accepted = Self.acceptedTypes(request.headers[values: .accept])
                parameters["acceptedMediaTypes"] = .array(accepted.map(JSONValue.string))
            }
        case .blob(_, let digest):
            if request.method == .head {
                parameters["layerDigests"] = .array([.string(digest)])
            } else {
                parameters["layerDigest"] = .string(digest)
            }
        case .startUpload:
            if failure == nil, let id = self.header("Docker-Upload-UUID", of: response) { elements = .object(["uploadId": .string(id)]) }
        case .upload(_, let id):
            parameters["uploadId"] = .string(id)
            if request.method == .put, let digest = query["digest"] { parameters["layerDigests"] = .array([.string(digest)]) }
        case .referrers(_, let digest):
            parameters["subjectId"] = .object(["imageDigest": .string(digest)])
            if let type = query["artifactType"] { parameters["filter"] = .object(["artifactTypes": .array([.string(type)])]) }
        case .tags, .base:
            break
        }
        var call = TrailCall(
            CloudTrailEventSource.ecr, eventName, requestParameters: .object(parameters), responseElements: elements.map(DeferredJSON.init),
            resources: [TrailIdentity.repository(name, in: key)])
        if let failure { call = call.refused(Self.trailErrorCode(failure.code), failure.message) }
        let identity = await trail.identity(of: caller, now: now)
        if note.createdRepository, trail.configuration.cacheRepositoryEvents {
            let created = TrailCall(
                CloudTrailEventSource.ecr, ECROperation.createRepository.rawValue,
                requestParameters: .object(["repositoryName": .string(name), "registryId": .string(key.accountId)]),
                responseElements: DeferredJSON(.object(["repository": .object([
                    "repositoryName": .string(name), "registryId": .string(key.accountId), "repositoryArn": .string(key.repositoryArn(name)),
                ])])),
                resources: [TrailIdentity.repository(name, in: key)])
            let service = TrailRequest(sourceIPAddress: "ecr.amazonaws.com", userAgent: "ecr.amazonaws.com", requestId: RequestIdentifier.make())
            await trail.record(created, in: key, identity: TrailIdentity.service("ecr.amazonaws.com"), request: service, now: now)
        }
        await trail.record(call, in: key, identity: identity, request: exchange, now: now)
    }

    private func header(_ name: String, of response: Response) -> String? {
        HTTPField.Name(name).flatMap { response.headers[$0] }
    }

    /// The ECR error code CloudTrail logs for a refused `/v2/` call.
    static func trailErrorCode(_ code: String) -> String {
        switch code {
        case "NAME_UNKNOWN": ECRErrorCode.repositoryNotFound.rawValue
        case "MANIFEST_UNKNOWN": ECRErrorCode.imageNotFound.rawValue
        case "BLOB_UNKNOWN": ECRErrorCode.layersNotFound.rawValue
        case "DENIED": ECRErrorCode.accessDenied.rawValue
        case "TOOMANYREQUESTS": ECRErrorCode.throttling.rawValue
        default: code
        }
    }
}
