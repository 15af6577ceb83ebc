import Hummingbird
import NIOCore

/// The request context of the fake's one responder: Hummingbird's basic context plus the peer's
/// address, read from the channel (the admin API answers loopback peers only by default).
struct FakeECRRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
