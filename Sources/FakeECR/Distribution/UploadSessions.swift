import Foundation

/// Blob uploads in progress (`POST …/blobs/uploads/` to the final `PUT`). The sessions are kept in
/// memory (an upload does not survive a restart, as with any registry that loses its session);
/// their bytes are in each `BlobUpload` (memory or a temporary file of the blob store), and
/// streaming a chunk into one does not hold up the others.
actor UploadSessions {
    struct Session: Sendable {
        var registry: RegistryKey
        var repository: String
        var upload: BlobUpload
        var startedAt: Date
    }

    private var sessions: [String: Session] = [:]
    /// At most this many open uploads; the oldest is dropped beyond it.
    private let limit = 1000

    /// Registers `upload` under its id.
    func start(_ upload: BlobUpload, registry: RegistryKey, repository: String, now: Date = Date()) {
        if sessions.count >= limit, let oldest = sessions.min(by: { $0.value.startedAt < $1.value.startedAt })?.key {
            sessions.removeValue(forKey: oldest)?.upload.discard()
        }
        sessions[upload.id] = Session(registry: registry, repository: repository, upload: upload, startedAt: now)
    }

    /// The session `id` of that repository, or BLOB_UPLOAD_UNKNOWN.
    func session(_ id: String, registry: RegistryKey, repository: String) throws(DistributionError) -> Session {
        guard let session = sessions[id], session.registry == registry, session.repository == repository else {
            throw DistributionError.blobUploadUnknown(id)
        }
        return session
    }

    /// Forgets the session `id` (completion or cancellation); the caller closes its upload.
    func remove(_ id: String) {
        sessions.removeValue(forKey: id)
    }
}
