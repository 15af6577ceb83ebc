import ECRWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The registry data plane (`/v2/`) of one fake: HTTP Basic auth with registry passwords from
/// GetAuthorizationToken, blobs, uploads, manifests, tags and the pull through cache. Images live
/// in the same `RegistryStore` as the control plane's.
final class RegistryPlane: Sendable {
    let store: RegistryStore
    let blobs: any BlobStore
    let passwords: RegistryPasswordCodec
    let uploads = UploadSessions()
    let upstreams: UpstreamDirectory
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
        store: RegistryStore, blobs: any BlobStore, passwords: RegistryPasswordCodec, logger: Logger, fallbackHost: String,
        upstreams: [String: UpstreamSource] = [:]
    ) {
        self.upstreams = UpstreamDirectory(upstreams)
        self.store = store
        self.blobs = blobs
        self.passwords = passwords
        self.logger = logger
        self.fallbackHost = fallbackHost
    }

    /// A request the responder routed here (its path is `/v2` or starts with `/v2/`).
    func respond(to request: Request, requestId: String) async -> Response {
        do {
            return try await handle(request, requestId: requestId)
        } catch let error as RegistryError {
            logger.debug("registry \(request.method.rawValue) \(request.uri.path) -> \(error.code)", metadata: ["request-id": "\(requestId)"])
            return Self.errorResponse(error, requestId: requestId)
        } catch let error as ECRError {
            return Self.errorResponse(RegistryError("UNKNOWN", error.message, status: .badRequest), requestId: requestId)
        } catch {
            logger.error("registry \(request.method.rawValue) \(request.uri.path) failed: \(error)", metadata: ["request-id": "\(requestId)"])
            return Self.errorResponse(.internalError("Internal error: \(error)"), requestId: requestId)
        }
    }

    private func handle(_ request: Request, requestId: String) async throws -> Response {
        let key = try authenticate(request)
        guard let route = RegistryRoute(path: request.uri.path) else {
            throw RegistryError("NOT_FOUND", "No registry API at \(request.method.rawValue) \(request.uri.path.prefix(300))", status: .notFound)
        }
        if let name = route.repositoryName, !ECRValidation.isRepositoryName(name) {
            throw RegistryError.nameInvalid(String(name.prefix(300)))
        }
        let query = Self.query(request.uri.query)
        let method = request.method
        switch route {
        case .base:
            guard method == .get || method == .head else { throw Self.unsupported(method) }
            return reply(.ok, headers: [("Content-Type", "application/json")], body: Data("{}".utf8), head: method == .head, requestId: requestId)
        case .tags(let name):
            guard method == .get else { throw Self.unsupported(method) }
            return try await listTags(key, name, query: query, requestId: requestId)
        case .manifest(let name, let reference):
            let reference = try ManifestReference(parsing: reference)
            switch method {
            case .get, .head: return try await getManifest(key, name, reference, request: request, requestId: requestId)
            case .put: return try await putManifest(key, name, reference, request: request, requestId: requestId)
            case .delete:
                try await store.registryDeleteManifest(key, name, reference)
                return reply(.accepted, requestId: requestId)
            default: throw Self.unsupported(method)
            }
        case .blob(let name, let digest):
            guard method == .get || method == .head else {
                throw method == .delete ? RegistryError.unsupported("Deleting a layer is not supported: delete the images that use it (BatchDeleteImage)") : Self.unsupported(method)
            }
            return try await getBlob(key, name, digest, head: method == .head, requestId: requestId)
        case .startUpload(let name):
            guard method == .post else { throw Self.unsupported(method) }
            return try await startUpload(key, name, query: query, request: request, requestId: requestId)
        case .upload(let name, let id):
            guard UUID(uuidString: id) != nil else { throw RegistryError.blobUploadUnknown(String(id.prefix(100))) }
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

    // MARK: auth

    /// The registry (account and region) the request's `AWS:<password>` Basic credentials grant.
    func authenticate(_ request: Request) throws(RegistryError) -> RegistryKey {
        let host = request.head.authority ?? fallbackHost
        let challenge = #"Basic realm="https://\#(host)/",service="ecr.amazonaws.com""#
        guard let header = request.headers[.authorization] else { throw .unauthorized(challenge: challenge) }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else {
            throw .unauthorized(challenge: challenge, "Not Authorized: expected HTTP Basic credentials AWS:<password from aws ecr get-login-password>")
        }
        let user = text[..<colon]
        let password = String(text[text.index(after: colon)...])
        guard user == "AWS" else {
            throw .unauthorized(challenge: challenge, "Not Authorized: the user name must be 'AWS'")
        }
        if let grant = passwords.verify(password: password) {
            let key = RegistryKey(accountId: grant.accountId, region: grant.region)
            try Self.checkHost(host, grants: key)
            return key
        }
        if passwords.verify(password: password, now: .distantPast) != nil { throw .expiredToken() }
        throw .unauthorized(challenge: challenge)
    }

    /// A request to `<account>.dkr.ecr.<region>.amazonaws.com` must carry that registry's token.
    static func checkHost(_ authority: String, grants key: RegistryKey) throws(RegistryError) {
        let host = (authority.split(separator: ":").first.map(String.init) ?? authority).lowercased()
        guard UpstreamRegistryResolver.isPrivateECR(host), host != key.registryHost else { return }
        throw .denied("Your authorization token was issued for the registry '\(key.registryHost)' and does not grant access to '\(host)'")
    }

    // MARK: blobs

    private func getBlob(_ key: RegistryKey, _ name: String, _ digest: String, head: Bool, requestId: String) async throws -> Response {
        try RegistryDigest.validate(digest)
        guard try await store.registryRepositoryExists(key, name) else { throw RegistryError.nameUnknown(name, key.accountId) }
        let headers = [("Content-Type", "application/octet-stream"), ("Docker-Content-Digest", digest)]
        if head {
            guard let size = try blobs.size(of: digest) else { throw RegistryError.blobUnknown(digest, name, key.accountId) }
            return reply(.ok, headers: headers + [("Content-Length", String(size))], head: true, requestId: requestId)
        }
        switch try blobs.contents(of: digest) {
        case nil: throw RegistryError.blobUnknown(digest, name, key.accountId)
        case .memory(let bytes): return Self.reply(.ok, headers: headers, body: ResponseBody(byteBuffer: bytes), requestId: requestId)
        case .file(let path, let size):
            return Self.reply(.ok, headers: headers, body: Self.fileBody(path: path, size: size), requestId: requestId)
        }
    }

    /// A response body streaming `size` bytes of the file at `path`, read in chunks on NIO's thread pool.
    static func fileBody(path: String, size: Int64) -> ResponseBody {
        ResponseBody(contentLength: Int(size)) { writer in
            let pool = NIOThreadPool.singleton
            let fd = try await pool.runIfActive { () throws -> Int32 in
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw RegistryStorageError("cannot open the blob \(path): \(String(cString: strerror(errno)))") }
                return fd
            }
            defer { close(fd) }
            var offset: Int64 = 0
            while offset < size {
                let count = Int(min(Int64(readChunkBytes), size - offset))
                let start = offset
                let chunk = try await pool.runIfActive { try FileBytes.read(fd, at: start, count: count, path: path) }
                guard chunk.readableBytes > 0 else { throw RegistryStorageError("the blob \(path) ended after \(offset) of \(size) bytes") }
                offset += Int64(chunk.readableBytes)
                try await writer.write(chunk)
            }
            try await writer.finish(nil)
        }
    }

    private func startUpload(_ key: RegistryKey, _ name: String, query: [String: String], request: Request, requestId: String) async throws -> Response {
        guard try await store.registryRepositoryExists(key, name) else { throw RegistryError.nameUnknown(name, key.accountId) }
        if let mount = query["mount"] {
            // Cross-repository mount: the blob store is shared, so a known blob from an existing
            // repository of the same registry mounts at once; otherwise a normal upload starts.
            if RegistryDigest.isValid(mount), let from = query["from"], ECRValidation.isRepositoryName(from),
                try await store.registryRepositoryExists(key, from), try blobs.size(of: mount) != nil
            {
                return reply(.created, headers: [("Location", "/v2/\(name)/blobs/\(mount)"), ("Docker-Content-Digest", mount)], requestId: requestId)
            }
        }
        if let digest = query["digest"] {
            // Monolithic upload: the whole blob in the POST body.
            try RegistryDigest.validate(digest)
            let upload = try blobs.makeUpload(id: Self.newUploadId())
            do {
                _ = try await upload.append(request.body, start: nil, limit: Self.maxBodyBytes)
            } catch {
                upload.discard()
                throw error
            }
            try await storeBlob(upload, claimed: digest)
            return reply(.created, headers: [("Location", "/v2/\(name)/blobs/\(digest)"), ("Docker-Content-Digest", digest)], requestId: requestId)
        }
        let upload = try blobs.makeUpload(id: Self.newUploadId())
        await uploads.start(upload, registry: key, repository: name)
        return reply(.accepted, headers: uploadHeaders(name, upload.id, size: 0), requestId: requestId)
    }

    static func newUploadId() -> String { UUID().uuidString.lowercased() }

    private func patchUpload(_ key: RegistryKey, _ name: String, _ id: String, request: Request, requestId: String) async throws -> Response {
        let start = try Self.contentRangeStart(request.headers[.contentRange])
        let session = try await uploads.session(id, registry: key, repository: name)
        let size = try await session.upload.append(request.body, start: start, limit: Self.maxBodyBytes)
        return reply(.accepted, headers: uploadHeaders(name, id, size: size), requestId: requestId)
    }

    private func completeUpload(_ key: RegistryKey, _ name: String, _ id: String, query: [String: String], request: Request, requestId: String) async throws -> Response {
        guard let digest = query["digest"] else {
            _ = try await uploads.session(id, registry: key, repository: name)
            throw RegistryError.digestInvalid("Completing an upload needs the blob's digest: PUT …/blobs/uploads/<id>?digest=sha256:<hex>")
        }
        try RegistryDigest.validate(digest)
        let start = try Self.contentRangeStart(request.headers[.contentRange])
        let session = try await uploads.session(id, registry: key, repository: name)
        // The last chunk may come with the PUT; an empty body is no chunk.
        _ = try await session.upload.append(request.body, start: start, limit: Self.maxBodyBytes, ignoringEmptyBody: true)
        try await storeBlob(session.upload, claimed: digest) { await self.uploads.remove(id) }
        return reply(.created, headers: [("Location", "/v2/\(name)/blobs/\(digest)"), ("Docker-Content-Digest", digest)], requestId: requestId)
    }

    /// Closes an upload and stores its bytes after checking that they hash to the digest the
    /// client claims (computed while they streamed in); the bytes are dropped otherwise.
    private func storeBlob(_ upload: BlobUpload, claimed digest: String, closed: () async -> Void = {}) async throws {
        let finished = try upload.finish()
        await closed()
        guard finished.digest == digest else {
            finished.discard()
            throw RegistryError.digestInvalid(
                "The uploaded content (\(finished.size) bytes) has the digest '\(finished.digest)', not the digest '\(digest)' given by the client")
        }
        do {
            try blobs.commit(finished, digest: digest)
        } catch {
            finished.discard()
            throw error
        }
    }

    private func uploadHeaders(_ name: String, _ id: String, size: Int) -> [(String, String)] {
        [
            ("Location", "/v2/\(name)/blobs/uploads/\(id)"), ("Range", "0-\(max(size - 1, 0))"), ("Docker-Upload-UUID", id),
            ("Content-Length", "0"),
        ]
    }

    /// The first byte of `Content-Range: <start>-<end>` (an optional `bytes ` prefix allowed).
    static func contentRangeStart(_ header: String?) throws(RegistryError) -> Int? {
        guard var text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.lowercased().hasPrefix("bytes") { text = String(text.dropFirst(5)).trimmingCharacters(in: CharacterSet(charactersIn: " =")) }
        let bounds = text.split(separator: "-", maxSplits: 1)
        guard bounds.count == 2, let start = Int(bounds[0]), let end = Int(bounds[1].split(separator: "/").first ?? ""), start >= 0, end >= start - 1 else {
            throw RegistryError.rangeInvalid("Malformed Content-Range '\(text.prefix(100))': expected '<start>-<end>'")
        }
        return start
    }

    // MARK: manifests

    private func getManifest(_ key: RegistryKey, _ name: String, _ reference: ManifestReference, request: Request, requestId: String) async throws -> Response {
        var image: ImageRecord?
        let rule = try await store.registryCacheRule(key, for: name)
        if try await store.registryRepositoryExists(key, name) {
            image = try await store.registryImage(key, name, reference)
        } else if rule == nil {
            throw RegistryError.nameUnknown(name, key.accountId)
        }
        if image == nil, let rule, case .tag(let tag) = reference {
            image = try await pullThrough(key, name, tag: tag, rule: rule.rule, upstreamPath: rule.upstreamPath)
        }
        guard let image else { throw RegistryError.manifestUnknown() }
        let accepted = Self.acceptedTypes(request.headers[values: .accept])
        if !accepted.isEmpty, !accepted.contains("*/*"), !accepted.contains(image.mediaType) {
            throw RegistryError.manifestUnknown(
                "The image's manifest media type '\(image.mediaType)' is not among the types the client accepts (\(accepted.joined(separator: ", ")))")
        }
        let data = Data(image.manifest.utf8)
        let headers = [("Content-Type", image.mediaType), ("Docker-Content-Digest", image.digest), ("Content-Length", String(data.count))]
        return reply(.ok, headers: headers, body: data, head: request.method == .head, requestId: requestId)
    }

    private func putManifest(_ key: RegistryKey, _ name: String, _ reference: ManifestReference, request: Request, requestId: String) async throws -> Response {
        guard try await store.registryRepositoryExists(key, name) else { throw RegistryError.nameUnknown(name, key.accountId) }
        let data: Data
        do {
            data = try await Data(request.body.collect(upTo: Self.maxManifestBytes).readableBytesView)
        } catch {
            throw RegistryError.manifestInvalid("The manifest is larger than \(Self.maxManifestBytes) bytes")
        }
        let (text, mediaType) = try Self.checkedManifest(data, contentType: request.headers[.contentType])
        try await checkReferences(of: text, mediaType: mediaType, key: key, name: name)
        let summary = ManifestSummary(manifest: text)
        var tag: String?
        switch reference {
        case .digest(let digest):
            guard digest == summary.digest else {
                throw RegistryError.digestInvalid("The digest '\(digest)' in the URL does not match the manifest's digest '\(summary.digest)'")
            }
        case .tag(let value): tag = value
        }
        try await store.registryPutManifest(key, name, manifest: text, mediaType: mediaType, summary: summary, tag: tag, now: Date().registryMilliseconds)
        return reply(
            .created, headers: [("Location", "/v2/\(name)/manifests/\(summary.digest)"), ("Docker-Content-Digest", summary.digest)],
            requestId: requestId)
    }

    /// The manifest as text (byte-exact UTF-8) and its media type; MANIFEST_INVALID otherwise.
    static func checkedManifest(_ data: Data, contentType: String?) throws(RegistryError) -> (String, String) {
        guard !data.isEmpty else { throw .manifestInvalid("The manifest is empty") }
        guard let text = String(data: data, encoding: .utf8), Data(text.utf8) == data else {
            throw .manifestInvalid("The manifest is not valid UTF-8 JSON")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .manifestInvalid("The manifest is not a JSON object")
        }
        let field = object["mediaType"] as? String
        let header = contentType.map(ManifestMediaTypes.bare)
        let mediaType: String
        if let header, ManifestMediaTypes.all.contains(header) {
            if let field, field != header {
                throw .manifestInvalid("The manifest's mediaType '\(field)' does not match the Content-Type '\(header)'")
            }
            mediaType = header
        } else if let inferred = ManifestMediaTypes.inferred(from: object), ManifestMediaTypes.all.contains(inferred) {
            mediaType = inferred
        } else {
            throw .manifestInvalid(
                "Unsupported manifest media type '\(field ?? header ?? "none")': expected one of \(ManifestMediaTypes.all.joined(separator: ", "))")
        }
        if ManifestMediaTypes.images.contains(mediaType) || ManifestMediaTypes.indexes.contains(mediaType) {
            guard object["schemaVersion"] as? Int == 2 else { throw .manifestInvalid("The manifest's schemaVersion must be 2") }
        }
        if ManifestMediaTypes.images.contains(mediaType), object["config"] as? [String: Any] == nil {
            throw .manifestInvalid("The image manifest has no 'config' descriptor")
        }
        if ManifestMediaTypes.indexes.contains(mediaType), object["manifests"] as? [Any] == nil {
            throw .manifestInvalid("The index has no 'manifests' array")
        }
        return (text, mediaType)
    }

    /// Blobs of an image manifest must be uploaded; manifests of an index must be pushed first.
    private func checkReferences(of text: String, mediaType: String, key: RegistryKey, name: String) async throws {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return }
        if ManifestMediaTypes.images.contains(mediaType) {
            var descriptors = [object["config"] as? [String: Any] ?? [:]]
            descriptors += object["layers"] as? [[String: Any]] ?? []
            for descriptor in descriptors {
                guard let digest = descriptor["digest"] as? String else { throw RegistryError.manifestInvalid("A descriptor of the manifest has no digest") }
                try RegistryDigest.validate(digest)
                if descriptor["urls"] != nil { continue }  // non-distributable (foreign) layer
                guard try blobs.size(of: digest) != nil else { throw RegistryError.manifestBlobUnknown(digest, name) }
            }
        } else if ManifestMediaTypes.indexes.contains(mediaType) {
            for entry in object["manifests"] as? [[String: Any]] ?? [] {
                guard let digest = entry["digest"] as? String else { throw RegistryError.manifestInvalid("An entry of the index has no digest") }
                try RegistryDigest.validate(digest)
                guard try await store.registryImage(key, name, .digest(digest)) != nil else {
                    throw RegistryError.manifestBlobUnknown(digest, name)
                }
            }
        }
    }

    static func acceptedTypes(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { ManifestMediaTypes.bare(String($0)) }.filter { !$0.isEmpty }
    }

    // MARK: tags

    private func listTags(_ key: RegistryKey, _ name: String, query: [String: String], requestId: String) async throws -> Response {
        var tags = try await store.registryTags(key, name)
        if let last = query["last"] { tags = tags.filter { $0 > last } }
        var headers = [("Content-Type", "application/json; charset=utf-8")]
        if let text = query["n"] {
            guard let n = Int(text), (0...1000).contains(n) else { throw RegistryError.paginationInvalid(String(text.prefix(20))) }
            if tags.count > n {
                tags = Array(tags.prefix(n))
                if let lastTag = tags.last {
                    headers.append(("Link", "</v2/\(name)/tags/list?last=\(lastTag)&n=\(n)>; rel=\"next\""))
                }
            }
        }
        let body = try JSONSerialization.data(withJSONObject: ["name": name, "tags": tags], options: [.sortedKeys, .withoutEscapingSlashes])
        return reply(.ok, headers: headers, body: body, requestId: requestId)
    }

    // MARK: plumbing

    static func query(_ text: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (text ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    static func unsupported(_ method: HTTPRequest.Method) -> RegistryError {
        .unsupported("The operation is unsupported: \(method.rawValue) is not a method of this registry API")
    }

    func reply(_ status: HTTPResponse.Status, headers: [(String, String)] = [], body: Data = Data(), head: Bool = false, requestId: String) -> Response {
        Self.reply(status, headers: headers, body: body, head: head, requestId: requestId)
    }

    static func reply(_ status: HTTPResponse.Status, headers: [(String, String)] = [], body: Data = Data(), head: Bool = false, requestId: String) -> Response {
        if head {
            var fields = fields(headers, requestId: requestId)
            if !fields.contains(.contentLength) { fields[.contentLength] = String(body.count) }
            return Response(status: status, headers: fields, body: ResponseBody())
        }
        return reply(status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)), requestId: requestId)
    }

    static func reply(_ status: HTTPResponse.Status, headers: [(String, String)], body: ResponseBody, requestId: String) -> Response {
        Response(status: status, headers: fields(headers, requestId: requestId), body: body)
    }

    private static func fields(_ headers: [(String, String)], requestId: String) -> HTTPFields {
        var fields = HTTPFields()
        fields.set(HTTPField.Name("Docker-Distribution-Api-Version"), "registry/2.0")
        fields.set(HeaderNames.amznRequestId, requestId)
        for (name, value) in headers { fields.set(HTTPField.Name(name), value) }
        return fields
    }

    static func errorResponse(_ error: RegistryError, requestId: String) -> Response {
        let object: [String: Any] = ["errors": [["code": error.code, "message": error.message, "detail": [String: String]()]]]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return reply(error.status, headers: [("Content-Type", "application/json; charset=utf-8")] + error.headers, body: body, requestId: requestId)
    }
}

extension Date {
    /// This date cut to whole milliseconds (what the ECR wire carries).
    var registryMilliseconds: Date { Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded(.down) / 1000) }
}
