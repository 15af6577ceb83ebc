import ECRWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The registry data plane (`/v2/`, the OCI distribution API) of one fake: HTTP Basic auth with
/// registry passwords from GetAuthorizationToken (`+Auth`), blobs (`+Blobs`), uploads (`+Uploads`),
/// manifests and tags (`+Manifests`, `+Tags`) and the pull through cache (`+PullThroughCache`).
/// Images live in the same `RegistryStore` as the control plane's. This file routes requests.
final class DistributionPlane: Sendable {
    let store: RegistryStore
    let blobs: any BlobStore
    let passwords: RegistryPasswordCodec
    /// Every request on a repository passes it as the caller its password names.
    let gate: AccessGate
    let uploads = UploadSessions()
    let upstreams: UpstreamDirectory
    /// Records each call in the CloudTrail history as the ECR action it stands for (`+Trail`).
    let trail: TrailRecorder
    let logger: Logger
    /// Host used in the `WWW-Authenticate` realm when a request has no `Host`.
    let fallbackHost: String

    /// The largest manifest accepted (PutImage's `imageManifest` maximum).
    static let maxManifestBytes = ECRConstraints.imageManifest.max ?? 4 * 1024 * 1024
    /// The largest blob or chunk body accepted in one request.
    static let maxBodyBytes = 1 << 30
    /// Bytes of a blob file read (on NIO's thread pool) and sent at a time.
    static let readChunkBytes = 1 << 20

    init(
        store: RegistryStore, blobs: any BlobStore, passwords: RegistryPasswordCodec, gate: AccessGate, trail: TrailRecorder, logger: Logger,
        fallbackHost: String, upstreams: [String: UpstreamSource] = [:]
    ) {
        self.trail = trail
        self.upstreams = UpstreamDirectory(upstreams)
        self.store = store
        self.blobs = blobs
        self.passwords = passwords
        self.gate = gate
        self.logger = logger
        self.fallbackHost = fallbackHost
    }

    /// A request the responder routed here (its path is `/v2` or starts with `/v2/`). Requests whose
    /// credentials are refused are answered without a trail record (they are no account's).
    func respond(to request: Request, exchange: TrailRequest) async -> Response {
        let requestId = exchange.requestId
        let now = Date()
        let key: RegistryKey
        let caller: AccessPrincipal
        do {
            (key, caller) = try authenticate(request)
        } catch {
            return Self.errorResponse(error, requestId: requestId)
        }
        let note = TrailNote()
        let (response, failure) = await answer(request, key: key, caller: caller, note: note, requestId: requestId, sourceIp: exchange.sourceIPAddress)
        if let route = DistributionRoute(path: request.uri.path), route != .base {
            await record(route, request: request, response: response, failure: failure, key: key, caller: caller, note: note, exchange: exchange, now: now)
        }
        return response
    }

    /// The answer to an authenticated request, and the refusal (code, message) when it is one.
    private func answer(
        _ request: Request, key: RegistryKey, caller: AccessPrincipal, note: TrailNote, requestId: String, sourceIp: String?
    ) async -> (Response, DistributionError?) {
        do {
            return (try await handle(request, key: key, caller: caller, note: note, requestId: requestId, sourceIp: sourceIp), nil)
        } catch let error as DistributionError {
            logger.debug("registry \(request.method.rawValue) \(request.uri.path) -> \(error.code)", metadata: ["request-id": "\(requestId)"])
            return (Self.errorResponse(error, requestId: requestId), error)
        } catch let refusal as AccessRefusal {
            logger.debug("registry \(request.method.rawValue) \(request.uri.path) -> DENIED", metadata: ["request-id": "\(requestId)"])
            return (Self.errorResponse(refusal.distributionError, requestId: requestId), refusal.distributionError)
        } catch let error as ECRError {
            let failure = DistributionError("UNKNOWN", error.message, status: .badRequest)
            return (Self.errorResponse(failure, requestId: requestId), failure)
        } catch {
            logger.error("registry \(request.method.rawValue) \(request.uri.path) failed: \(error)", metadata: ["request-id": "\(requestId)"])
            let failure = DistributionError.internalError("Internal error: \(error)")
            return (Self.errorResponse(failure, requestId: requestId), failure)
        }
    }

    func handle(
        _ request: Request, key: RegistryKey, caller: AccessPrincipal, note: TrailNote, requestId: String, sourceIp: String? = nil
    ) async throws -> Response {
        guard let route = DistributionRoute(path: request.uri.path) else {
            throw DistributionError("NOT_FOUND", "No registry API at \(request.method.rawValue) \(request.uri.path.prefix(300))", status: .notFound)
        }
        let method = request.method
        if let name = route.repositoryName {
            guard ECRValidation.isRepositoryName(name) else { throw DistributionError.nameInvalid(String(name.prefix(300))) }
            try await gate.authorize(caller, route.ecrAction(method), repository: name, in: key, from: sourceIp)
        }
        let query = Self.query(request.uri.query)
        switch route {
        case .base:
            guard method == .get || method == .head else { throw Self.unsupported(method) }
            return reply(.ok, headers: [("Content-Type", "application/json")], body: Data("{}".utf8), head: method == .head, requestId: requestId)
        case .tags(let name):
            guard method == .get else { throw Self.unsupported(method) }
            return try await listTags(key, name, query: query, requestId: requestId)
        case .manifest(let name, let reference):
            let reference = try ManifestReference(parsing: reference, reading: method != .put)
            switch method {
            case .get, .head:
                return try await getManifest(key, name, reference, request: request, note: note, requestId: requestId, caller: caller, sourceIp: sourceIp)
            case .put: return try await putManifest(key, name, reference, request: request, note: note, requestId: requestId)
            case .delete:
                try store.deleteManifest(key, name, reference)
                return reply(.accepted, requestId: requestId)
            default: throw Self.unsupported(method)
            }
        case .blob(let name, let digest):
            guard method == .get || method == .head else {
                throw method == .delete ? DistributionError.unsupported("Deleting a layer is not supported: delete the images that use it (BatchDeleteImage)") : Self.unsupported(method)
            }
            return try await getBlob(key, name, digest, head: method == .head, range: request.headers[.range], requestId: requestId)
        case .referrers(let name, let digest):
            guard method == .get || method == .head else { throw Self.unsupported(method) }
            return try await listReferrers(key, name, digest, query: query, requestId: requestId)
        case .startUpload(let name):
            guard method == .post else { throw Self.unsupported(method) }
            return try await startUpload(key, name, caller: caller, query: query, request: request, requestId: requestId)
        case .upload(let name, let id):
            guard UUID(uuidString: id) != nil else { throw DistributionError.blobUploadUnknown(String(id.prefix(100))) }
            switch method {
            case .get:
                let session = try await uploads.session(id, registry: key, repository: name)
                return reply(.noContent, headers: uploadHeaders(name, id, size: session.upload.size), requestId: requestId)
            case .patch: return try await patchUpload(key, name, id, request: request, requestId: requestId)
            case .put: return try await completeUpload(key, name, id, query: query, request: request, requestId: requestId)
            case .delete:
                let session = try await uploads.session(id, registry: key, repository: name)
                session.upload.discard()
                await uploads.remove(id)
                return reply(.noContent, requestId: requestId)
            default: throw Self.unsupported(method)
            }
        }
    }
}
