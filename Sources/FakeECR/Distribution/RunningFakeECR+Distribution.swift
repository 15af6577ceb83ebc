import Foundation

extension RunningFakeECR {
    /// Makes pull through cache rules whose `upstreamRegistryUrl` is `registryURL`
    /// (e.g. `public.ecr.aws`) fetch from `source`, a local stand-in, instead of the internet.
    public func setUpstream(_ registryURL: String, _ source: UpstreamSource) async {
        await app.distribution.upstreams.set(registryURL, source)
    }

    /// Forgets the stand-in of `registryURL`: its rules' pulls then fail as unreachable.
    public func removeUpstream(_ registryURL: String) async {
        await app.distribution.upstreams.set(registryURL, nil)
    }

    /// The configured stand-ins, by upstream registry URL.
    public func upstreams() async -> [String: UpstreamSource] {
        await app.distribution.upstreams.all()
    }
}
