import Foundation

/// Blob uploads in progress (`POST …/blobs/uploads/` to the final `PUT`). Kept in memory:
/// an upload does not survive a restart, as with any registry that loses its session.
actor UploadSessions {
    struct Session: Sendable {
        var registry: RegistryKey
        var repository: String
        var data = Data()
        var startedAt: Date
    }

    private var sessions: [String: Session] = [:]
    /// At most this many open uploads; the oldest is dropped beyond it.
    private let limit = 1000

    func start(registry: RegistryKey, repository: String, now: Date = Date()) -> String {
        if sessions.count >= limit, let oldest = sessions.min(by: { $0.value.startedAt < $1.value.startedAt })?.key {
            sessions.removeValue(forKey: oldest)
        }
        let id = UUID().uuidString.lowercased()
        sessions[id] = Session(registry: registry, repository: repository, startedAt: now)
        return id
    }

    /// The session `id` of that repository, or BLOB_UPLOAD_UNKNOWN.
    func session(_ id: String, registry: RegistryKey, repository: String) throws(RegistryError) -> Session {
        guard let session = sessions[id], session.registry == registry, session.repository == repository else {
            throw RegistryError.blobUploadUnknown(id)
        }
        return session
    }

    /// Appends a chunk; `start` (from `Content-Range`) must be the current size. Returns the new size.
    func append(_ id: String, registry: RegistryKey, repository: String, chunk: Data, start: Int?) throws(RegistryError) -> Int {
        var session = try session(id, registry: registry, repository: repository)
        if let start, start != session.data.count {
            throw RegistryError.rangeInvalid(
                "The chunk starts at byte \(start) but the upload '\(id)' holds \(session.data.count) bytes: send the chunk starting at \(session.data.count)")
        }
        session.data.append(chunk)
        sessions[id] = session
        return session.data.count
    }

    /// Removes and returns the session (completion or cancellation).
    func finish(_ id: String, registry: RegistryKey, repository: String) throws(RegistryError) -> Session {
        let session = try session(id, registry: registry, repository: repository)
        sessions.removeValue(forKey: id)
        return session
    }
}
