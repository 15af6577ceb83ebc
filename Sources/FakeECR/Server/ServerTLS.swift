import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// A certificate and key to serve HTTPS with (PEM), e.g. from a certificate authority made for one
/// `labcheck verify-lab` run, so that docker, podman and the AWS CLI reach the fake and the stand-ins
/// as they reach a real registry. Shared by the fake ECR and the OCI layout stand-ins.
public struct ServerTLS: Sendable {
    /// The server's certificate first, then any intermediates.
    public var certificateChainPEM: String
    public var privateKeyPEM: String

    public init(certificateChainPEM: String, privateKeyPEM: String) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// `base` wrapped in TLS with this certificate, or `base` itself without one.
    static func builder(_ base: HTTPServerBuilder, tls: ServerTLS?) throws -> HTTPServerBuilder {
        guard let tls else { return base }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(tls.certificateChainPEM.utf8))
            key = try NIOSSLPrivateKey(bytes: Array(tls.privateKeyPEM.utf8), format: .pem)
        } catch {
            throw FakeECRServerError("the TLS certificate or key is not valid PEM: \(error)")
        }
        guard !chain.isEmpty else { throw FakeECRServerError("the TLS certificate chain holds no certificate") }
        let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        return try .tls(base, tlsConfiguration: configuration)
    }

    /// `https` with a certificate, `http` without.
    static func scheme(_ tls: ServerTLS?) -> String { tls == nil ? "http" : "https" }
}
