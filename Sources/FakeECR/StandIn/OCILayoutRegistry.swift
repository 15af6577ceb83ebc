import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging

/// An anonymous, read-only registry serving an OCI image layout over the distribution API, standing
/// in for a public upstream (`public.ecr.aws`, `registry.k8s.io`) on loopback: docker clients pull
/// from it (verify-lab serves it over HTTPS, `ServerTLS`, at the upstream's own name in its namespace)
/// and a fake's pull through cache can use it as its `http://` upstream. Images are named by the layout's `org.opencontainers.image.ref.name`
/// annotations (`<path>:<tag>`), as `fixtures/upstream/` holds them.
public enum OCILayoutRegistry {
    /// Starts serving `directory` on `host` (port 0: a free one), over HTTPS with `tls`, and returns once it listens.
    public static func start(
        directory: URL, host: String = "127.0.0.1", port: Int = 0, tls: ServerTLS? = nil, logger: Logger = Logger(label: "oci-layout-registry")
    ) async throws -> RunningOCILayoutRegistry {
        let layout = directory.standardizedFileURL
        guard FileManager.default.fileExists(atPath: layout.appendingPathComponent("index.json").path) else {
            throw FakeECRServerError("\(layout.path) is not an OCI image layout (no index.json)")
        }
        let server = try ServerTLS.builder(.http1(), tls: tls)
        let service = try await ListeningService.start("the OCI layout registry for \(layout.path) on \(host):\(port)", logger: logger) { onPort in
            Application(
                responder: OCILayoutResponder(layout: OCILayoutUpstream(directory: layout)),
                server: server,
                configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
                onServerRunning: { channel in onPort(channel.localAddress?.port ?? port) },
                logger: logger)
        }
        return RunningOCILayoutRegistry(directory: layout, host: host, scheme: ServerTLS.scheme(tls), service: service)
    }
}

/// An `OCILayoutRegistry` running in this process.
public final class RunningOCILayoutRegistry: Sendable {
    public let directory: URL
    public let host: String
    /// `https` when it serves TLS, else `http`.
    public let scheme: String
    private let service: ListeningService
    public var port: Int { service.port }

    init(directory: URL, host: String, scheme: String, service: ListeningService) {
        self.directory = directory
        self.host = host
        self.scheme = scheme
        self.service = service
    }

    /// `127.0.0.1:PORT`, as a `registries.conf` location or an image reference's registry.
    public var authority: String { "\(FakeECRServer.urlHost(host)):\(port)" }

    /// `http://127.0.0.1:PORT`, e.g. for `UpstreamSource.registry`.
    public var endpoint: URL { URL(string: "\(scheme)://\(authority)") ?? URL(fileURLWithPath: "/") }

    public func stop() async { await service.stop() }
}

/// `GET`/`HEAD` of `/v2/`, manifests (by tag or digest) and blobs; anything else is refused as a
/// read-only registry would.
struct OCILayoutResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let layout: OCILayoutUpstream

    func respond(to request: Request, context: Context) async throws -> Response {
        let requestId = UUID().uuidString.lowercased()
        let head = request.method == .head
        guard request.method == .get || head else {
            return DistributionPlane.errorResponse(.unsupported("This registry is read-only: \(request.method.rawValue) is not supported"), requestId: requestId)
        }
        guard let route = DistributionRoute(path: request.uri.path) else {
            return DistributionPlane.errorResponse(DistributionError("NOT_FOUND", "No registry API at \(request.uri.path.prefix(300))", status: .notFound), requestId: requestId)
        }
        do {
            switch route {
            case .base:
                return DistributionPlane.reply(.ok, headers: [("Content-Type", "application/json")], body: Data("{}".utf8), head: head, requestId: requestId)
            case .manifest(let name, let reference):
                let manifest = try await layout.manifest(path: name, reference: try ManifestReference(parsing: reference))
                let headers = [("Content-Type", manifest.mediaType), ("Docker-Content-Digest", manifest.digest)]
                return DistributionPlane.reply(.ok, headers: headers, body: manifest.data, head: head, requestId: requestId)
            case .blob(let name, let digest):
                try ContentDigest.validate(digest)
                let data = try await layout.blob(path: name, digest: digest)
                let headers = [("Content-Type", "application/octet-stream"), ("Docker-Content-Digest", digest)]
                return DistributionPlane.reply(.ok, headers: headers, body: data, head: head, requestId: requestId)
            case .tags, .startUpload, .upload, .referrers:
                throw DistributionError.unsupported("This registry is read-only and lists no tags")
            }
        } catch let error as DistributionError {
            return DistributionPlane.errorResponse(error, requestId: requestId)
        } catch UpstreamFailure.notFound(let message) {
            let error: DistributionError =
                if case .blob = route { DistributionError("BLOB_UNKNOWN", message, status: .notFound) } else { .manifestUnknown(message) }
            return DistributionPlane.errorResponse(error, requestId: requestId)
        } catch UpstreamFailure.unavailable(let message) {
            return DistributionPlane.errorResponse(.internalError(message), requestId: requestId)
        }
    }
}
