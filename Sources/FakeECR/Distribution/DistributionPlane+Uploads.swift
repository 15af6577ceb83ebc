import Foundation
import Hummingbird

/// Blob uploads: monolithic, chunked (`PATCH` with `Content-Range`) and cross-repository mounts;
/// a blob is stored only once its bytes hash to the digest the client claims, and is then visible
/// in the repository it was uploaded to (or mounted into).
extension DistributionPlane {
    func startUpload(
        _ key: RegistryKey, _ name: String, caller: AccessPrincipal, query: [String: String], request: Request, requestId: String
    ) async throws -> Response {
        guard try store.repositoryExists(key, name) else { throw DistributionError.nameUnknown(name, key.accountId) }
        if let mount = query["mount"], let from = query["from"], try await canMount(mount, from: from, into: name, key: key, caller: caller) {
            try store.addBlobs(key, name, [mount])
            return reply(.created, headers: [("Location", "/v2/\(name)/blobs/\(mount)"), ("Docker-Content-Digest", mount)], requestId: requestId)
        }
        if let digest = query["digest"] {
            // Monolithic upload: the whole blob in the POST body.
            try ContentDigest.validate(digest)
            let upload = try blobs.makeUpload(id: Self.newUploadId())
            do {
                _ = try await upload.append(request.body, start: nil, limit: Self.maxBodyBytes)
            } catch {
                upload.discard()
                throw error
            }
            try await storeBlob(upload, claimed: digest)
            try store.addBlobs(key, name, [digest])
            return reply(.created, headers: [("Location", "/v2/\(name)/blobs/\(digest)"), ("Docker-Content-Digest", digest)], requestId: requestId)
        }
        let upload = try blobs.makeUpload(id: Self.newUploadId())
        await uploads.start(upload, registry: key, repository: name)
        return reply(.accepted, headers: uploadHeaders(name, upload.id, size: 0), requestId: requestId)
    }

    /// A cross-repository mount, as ECR allows one (`RegistryStore.isMountable`: BLOB_MOUNTING
    /// enabled, no pull through cache repository, same encryption) of a blob visible in `from`, a
    /// repository of the same registry (the password's) that the caller may pull from. When it is
    /// not, the client gets a normal upload (202), as a registry answers a mount it refuses, and
    /// uploads the bytes.
    func canMount(_ digest: String, from: String, into name: String, key: RegistryKey, caller: AccessPrincipal) async throws -> Bool {
        guard ContentDigest.isValid(digest), ECRValidation.isRepositoryName(from), try store.isMountable(key, digest, from: from, into: name) else {
            return false
        }
        do {
            try await gate.authorize(caller, "GetDownloadUrlForLayer", repository: from, in: key)
        } catch {
            return false
        }
        return try blobs.size(of: digest) != nil
    }

    static func newUploadId() -> String { UUID().uuidString.lowercased() }

    func patchUpload(_ key: RegistryKey, _ name: String, _ id: String, request: Request, requestId: String) async throws -> Response {
        let start = try Self.contentRangeStart(request.headers[.contentRange])
        let session = try await uploads.session(id, registry: key, repository: name)
        let size = try await session.upload.append(request.body, start: start, limit: Self.maxBodyBytes)
        return reply(.accepted, headers: uploadHeaders(name, id, size: size), requestId: requestId)
    }

    func completeUpload(_ key: RegistryKey, _ name: String, _ id: String, query: [String: String], request: Request, requestId: String) async throws -> Response {
        guard let digest = query["digest"] else {
            _ = try await uploads.session(id, registry: key, repository: name)
            throw DistributionError.digestInvalid("Completing an upload needs the blob's digest: PUT …/blobs/uploads/<id>?digest=sha256:<hex>")
        }
        try ContentDigest.validate(digest)
        let start = try Self.contentRangeStart(request.headers[.contentRange])
        let session = try await uploads.session(id, registry: key, repository: name)
        // The last chunk may come with the PUT; an empty body is no chunk.
        _ = try await session.upload.append(request.body, start: start, limit: Self.maxBodyBytes, ignoringEmptyBody: true)
        try await storeBlob(session.upload, claimed: digest) { await self.uploads.remove(id) }
        try store.addBlobs(key, name, [digest])
        return reply(.created, headers: [("Location", "/v2/\(name)/blobs/\(digest)"), ("Docker-Content-Digest", digest)], requestId: requestId)
    }

    /// Closes an upload and stores its bytes after checking that they hash to the digest the
    /// client claims (computed while they streamed in); the bytes are dropped otherwise.
    func storeBlob(_ upload: BlobUpload, claimed digest: String, closed: () async -> Void = {}) async throws {
        let finished = try upload.finish()
        await closed()
        guard finished.digest == digest else {
            finished.discard()
            throw DistributionError.digestInvalid(
                "The uploaded content (\(finished.size) bytes) has the digest '\(finished.digest)', not the digest '\(digest)' given by the client")
        }
        do {
            try blobs.commit(finished, digest: digest)
        } catch {
            finished.discard()
            throw error
        }
    }

    func uploadHeaders(_ name: String, _ id: String, size: Int) -> [(String, String)] {
        [
            ("Location", "/v2/\(name)/blobs/uploads/\(id)"), ("Range", "0-\(max(size - 1, 0))"), ("Docker-Upload-UUID", id),
            ("Content-Length", "0"),
        ]
    }

    /// The first byte of `Content-Range: <start>-<end>` (an optional `bytes ` prefix allowed).
    static func contentRangeStart(_ header: String?) throws(DistributionError) -> Int? {
        guard var text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.lowercased().hasPrefix("bytes") { text = String(text.dropFirst(5)).trimmingCharacters(in: CharacterSet(charactersIn: " =")) }
        let bounds = text.split(separator: "-", maxSplits: 1)
        guard bounds.count == 2, let start = Int(bounds[0]), let end = Int(bounds[1].split(separator: "/").first ?? ""), start >= 0, end >= start - 1 else {
            throw DistributionError.rangeInvalid("Malformed Content-Range '\(text.prefix(100))': expected '<start>-<end>'")
        }
        return start
    }
}
