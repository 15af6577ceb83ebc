import Crypto
import Foundation
import X509

/// A certificate authority made for one run (a `labcheck verify-lab` run, a test), and one server
/// certificate it signs for every host the run serves (for verify-lab: the lab's registry, the ECR
/// and STS APIs, the upstream registries). Clients trust it as they trust a real registry's CA:
/// docker through `/etc/docker/certs.d/<host>/ca.crt`, podman through `certs.d` under its home, the
/// AWS CLI through `AWS_CA_BUNDLE`; the keys live only in the run's memory and its servers.
public struct RunCertificateAuthority: Sendable {
    /// The CA certificate (PEM), for the clients to trust.
    public let certificatePEM: String
    /// The servers' certificate and key.
    public let server: ServerTLS

    /// Valid from an hour ago (clocks differ a little) for a day: longer than any run.
    public static func make(hosts: [String], now: Date = Date()) throws -> RunCertificateAuthority {
        do {
            let caKey = P256.Signing.PrivateKey()
            let caName = try DistinguishedName {
                OrganizationName("labcheck verify-lab")
                CommonName("labcheck verify-lab run CA")
            }
            let caPublicKey = Certificate.PublicKey(caKey.publicKey)
            let caIdentifier = SubjectKeyIdentifier(hash: caPublicKey)
            let ca = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caPublicKey,
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
                issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    caIdentifier
                },
                issuerPrivateKey: Certificate.PrivateKey(caKey))

            let serverKey = P256.Signing.PrivateKey()
            let serverPublicKey = Certificate.PublicKey(serverKey.publicKey)
            let serverName = try DistinguishedName { CommonName(hosts.first ?? "localhost") }
            let leaf = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: serverPublicKey,
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
                issuer: caName, subject: serverName, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames(hosts.map { .dnsName($0) })
                    SubjectKeyIdentifier(hash: serverPublicKey)
                    AuthorityKeyIdentifier(keyIdentifier: caIdentifier.keyIdentifier)
                },
                issuerPrivateKey: Certificate.PrivateKey(caKey))
            return RunCertificateAuthority(
                certificatePEM: try ca.serializeAsPEM().pemString,
                server: ServerTLS(certificateChainPEM: try leaf.serializeAsPEM().pemString, privateKeyPEM: serverKey.pemRepresentation))
        } catch {
            throw FakeECRServerError("could not make the run's certificate authority: \(error)")
        }
    }
}
