import AWSCore
import Foundation
import Testing

/// Secret keys and session tokens never show up in descriptions, logs or errors.
@Suite("SigV4 secrets")
struct SigV4SecretsTests {
    static let secret = "SECRETwJalrXUtnFEMI/K7MDENG+bPxRfiCYzz"
    static let token = "TOKENFwoGZXIvYXdzEBYaDHhdRmxhZ2xleGFtcGxlX2lzX2Zha2U="
    static let date = Date(timeIntervalSince1970: 1_700_000_000)
    static let credentials = Credentials(
        accessKeyId: "AKIAEXAMPLE", secretAccessKey: secret, sessionToken: token,
        expiration: date.addingTimeInterval(3600), source: "environment"
    )

    static func assertNoSecrets(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.contains(secret), "secret key leaked: \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains(token), "session token leaked: \(text)", sourceLocation: sourceLocation)
        // Nor their percent-encoded forms.
        #expect(!text.contains("SECRETwJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCYzz"), sourceLocation: sourceLocation)
        #expect(!text.contains("TOKENFwoGZXIvYXdzEBYaDHhdRmxhZ2xleGFtcGxlX2lzX2Zha2U%3D"), sourceLocation: sourceLocation)
    }

    @Test func credentialsDescriptionsHideSecrets() {
        let credentials = Self.credentials
        Self.assertNoSecrets(credentials.description)
        Self.assertNoSecrets(credentials.debugDescription)
        Self.assertNoSecrets(String(describing: credentials))
        Self.assertNoSecrets(String(reflecting: credentials))
        Self.assertNoSecrets("\(credentials)")
        #expect(credentials.description.contains("AKIAEXAMPLE"))
        #expect(credentials.description.contains("<redacted>"))
    }

    @Test func signerDescriptionsHideSecrets() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "ecr")
        Self.assertNoSecrets(String(describing: signer))
        Self.assertNoSecrets(String(reflecting: signer))
        var dumped = ""
        dump(signer, to: &dumped)
        Self.assertNoSecrets(dumped)
        #expect(signer.description == "SigV4Signer(accessKeyId: AKIAEXAMPLE, region: us-east-1, service: ecr)")
    }

    @Test func signingProductsDescriptionHidesTheToken() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "ecr")
        let request = SignableRequest(method: "GET", path: "/", headers: [HTTPHeaderField(name: "Host", value: "example.com")])
        let products = signer.signingProducts(for: request, date: Self.date)
        Self.assertNoSecrets(products.description)
        Self.assertNoSecrets(signer.authorizationHeader(for: request, date: Self.date))
        let presigned = signer.presigningProducts(for: request, date: Self.date)
        Self.assertNoSecrets(presigned.description)
        var dumped = ""
        dump(products, to: &dumped)
        Self.assertNoSecrets(dumped)
    }

    @Test func signedRequestDescriptionsHideTheToken() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "ecr")
        let request = SignableRequest(method: "GET", path: "/", query: "a=1", headers: [HTTPHeaderField(name: "Host", value: "example.com")])
        for signed in [signer.sign(request, date: Self.date), signer.presign(request, date: Self.date)] {
            Self.assertNoSecrets(String(describing: signed))
            Self.assertNoSecrets(String(reflecting: signed))
            var dumped = ""
            dump(signed, to: &dumped)
            Self.assertNoSecrets(dumped)
            #expect(String(describing: signed).contains("<redacted>"))
        }
    }

    @Test func verifierResultsAndErrorsHideSecrets() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "ecr")
        let request = SignableRequest(
            method: "POST", path: "/",
            headers: [HTTPHeaderField(name: "Host", value: "api.ecr.us-east-1.amazonaws.com")],
            body: Data("{}".utf8)
        )
        let verifier = SigV4Verifier(services: ["ecr"])
        let signed = signer.sign(request, date: Self.date)
        let presigned = signer.presign(request, date: Self.date)
        var tampered = signed
        tampered.body = Data("[]".utf8)
        var noDate = signed
        noDate.removeHeaders(named: "x-amz-date")
        var badAuth = signed
        badAuth.setHeader(name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=x")
        var results: [SigV4VerificationResult] = []
        for candidate in [signed, presigned, tampered, noDate, badAuth] {
            for secret in [Self.secret, "wrong"] {
                for now in [Self.date, Self.date.addingTimeInterval(7200), Self.date.addingTimeInterval(-7200)] {
                    results.append(verifier.verify(candidate, secretAccessKey: secret, now: now))
                }
            }
        }
        #expect(results.contains { if case .signatureMismatch = $0 { true } else { false } })
        #expect(results.contains { if case .malformed = $0 { true } else { false } })
        #expect(results.contains { if case .requestTimeTooSkewed = $0 { true } else { false } })
        #expect(results.contains { if case .expired = $0 { true } else { false } })
        for result in results {
            Self.assertNoSecrets(result.description)
            Self.assertNoSecrets(String(describing: result))
            Self.assertNoSecrets(String(reflecting: result))
        }
        do {
            _ = try SigV4Authorization.parse("Bearer \(Self.token)")
            Issue.record("a Bearer token is not SigV4")
        } catch {
            Self.assertNoSecrets(String(describing: error))
        }
    }
}
