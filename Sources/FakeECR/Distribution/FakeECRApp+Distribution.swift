import Foundation
import Hummingbird
import Logging

extension FakeECRApp {
    /// Answers a `/v2/` request (the responder routes them here before reading the body).
    func respondDistribution(_ request: Request, exchange: TrailRequest) async -> Response {
        await distribution.respond(to: request, exchange: exchange)
    }
}

extension DistributionPlane {
    /// The blob bytes of the fake: files under the data directory, or memory.
    static func blobStore(_ configuration: FakeECRConfiguration) throws -> any BlobStore {
        if let directory = configuration.dataDirectory { return try DirectoryBlobStore(dataDirectory: directory) }
        return MemoryBlobStore()
    }

    /// The data plane of a fake: `blobs`, upstream stand-ins from the configuration and
    /// `FAKE_ECR_UPSTREAMS` (the configuration wins), images in `store`.
    static func make(
        configuration: FakeECRConfiguration, store: RegistryStore, blobs: any BlobStore, passwords: RegistryPasswordCodec, gate: AccessGate,
        trail: TrailRecorder, logger: Logger
    ) -> DistributionPlane {
        var (upstreams, problems) = UpstreamDirectory.fromEnvironment()
        upstreams.merge(configuration.upstreams) { _, configured in configured }
        for problem in problems { logger.error("fake-ecr: ignoring an upstream mapping: \(problem)") }
        for (registry, source) in upstreams.sorted(by: { $0.key < $1.key }) {
            logger.info("fake-ecr: pull through cache upstream \(registry) -> \(source)")
        }
        return DistributionPlane(
            store: store, blobs: blobs, passwords: passwords, gate: gate, trail: trail, logger: logger,
            fallbackHost: "\(configuration.host):\(configuration.port)", upstreams: upstreams)
    }
}
