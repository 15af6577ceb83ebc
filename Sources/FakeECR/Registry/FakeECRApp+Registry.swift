import Foundation
import Hummingbird
import Synchronization

extension FakeECRApp {
    /// Answers a `/v2/` request (the responder routes them here before reading the body).
    func respondRegistry(_ request: Request, requestId: String) async -> Response {
        do {
            return try await registry.respond(to: request, requestId: requestId)
        } catch {
            logger.error("fake-ecr: the registry data plane cannot start: \(error)")
            return RegistryPlane.errorResponse(.internalError("The registry data plane cannot start: \(error)"), requestId: requestId)
        }
    }

    /// This fake's registry data plane (created on first use, one per app).
    var registry: RegistryPlane {
        get throws { try RegistryPlanes.shared.plane(for: self) }
    }
}

/// The registry data plane of each running app, kept beside the app (whose stored properties
/// belong to the control plane's files). Entries of apps that are gone are dropped.
final class RegistryPlanes: Sendable {
    static let shared = RegistryPlanes()

    private struct Entry {
        weak var app: FakeECRApp?
        let plane: RegistryPlane
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    func plane(for app: FakeECRApp) throws -> RegistryPlane {
        try entries.withLock { entries in
            let id = ObjectIdentifier(app)
            if let entry = entries[id], entry.app === app { return entry.plane }
            entries = entries.filter { $0.value.app != nil }
            let blobs: any BlobStore
            if let directory = app.configuration.dataDirectory {
                blobs = try DirectoryBlobStore(dataDirectory: directory)
            } else {
                blobs = MemoryBlobStore()
            }
            var (upstreams, problems) = UpstreamDirectory.fromEnvironment()
            upstreams.merge(app.configuration.upstreams) { _, configured in configured }
            for problem in problems { app.logger.error("fake-ecr: ignoring an upstream mapping: \(problem)") }
            for (registry, source) in upstreams { app.logger.info("fake-ecr: pull through cache upstream \(registry) -> \(source)") }
            let plane = RegistryPlane(
                store: app.store, blobs: blobs, passwords: app.passwords, logger: app.logger,
                fallbackHost: "\(app.configuration.host):\(app.configuration.port)", upstreams: upstreams)
            entries[id] = Entry(app: app, plane: plane)
            return plane
        }
    }
}
