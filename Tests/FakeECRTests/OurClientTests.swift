import AsyncHTTPClient
import AWSCore
import ECRWire
import FakeECR
import Foundation
import Testing

/// LabCheck's own ECR and STS clients against the fake with `--auth sigv4`: the signature the client
/// makes is the one the fake verifies, session tokens included.
@Suite("Our client against fake-ecr --auth sigv4")
struct OurClientTests {
    static let accounts = AccountsFile(accounts: [
        .init(accountId: "111111111111", accessKeyId: "AKIASTUDENT000000001", secretAccessKey: "right-secret", userName: "student01"),
        .init(accountId: "222222222222", accessKeyId: "AKIASTUDENT000000002", secretAccessKey: "other-secret",
              assumableRoles: [AssumableRole(arn: "arn:aws:iam::222222222222:role/LabCheckGrader", trustedAccounts: ["111111111111"])]),
    ])

    func clients(_ fake: RunningFakeECR, http: HTTPClient, key: String, secret: String, token: String? = nil) -> (ECRClient, STSClient) {
        let credentials = Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token)
        let client = AWSClient(httpClient: http, credentialProvider: StaticCredentialProvider(credentials), retryPolicy: .none)
        return (ECRClient(client: client, endpoint: fake.endpoint, region: "ap-northeast-1"),
                STSClient(client: client, endpoint: fake.endpoint, region: "ap-northeast-1"))
    }

    @Test("right secret works, wrong secret is InvalidSignatureException, assumed-role credentials work")
    func signatures() async throws {
        let fake = try await FakeECRServer.start(FakeECRConfiguration(accounts: Self.accounts, authMode: .sigv4))
        let http = AWSClient.makeHTTPClient()
        do {
            let (ecr, sts) = clients(fake, http: http, key: "AKIASTUDENT000000001", secret: "right-secret")
            let identity = try await sts.getCallerIdentity()
            #expect(identity.account == "111111111111")
            _ = try await ecr.json.call("CreateRepository", CreateRepositoryRequest(repositoryName: "public.ecr.aws/nginx/nginx"), as: CreateRepositoryResponse.self)
            let repositories = try await ecr.allRepositories()
            #expect(repositories.map(\.repositoryUri) == ["111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/public.ecr.aws/nginx/nginx"])

            let (wrong, _) = clients(fake, http: http, key: "AKIASTUDENT000000001", secret: "wrong-secret")
            do {
                _ = try await wrong.allRepositories()
                Issue.record("a wrong secret was accepted")
            } catch let error as AWSServiceError {
                #expect(error.code == "InvalidSignatureException")
                #expect(error.httpStatus == 400)  // JSON-protocol services answer signature errors with 400
                #expect(!error.description.contains("wrong-secret") && !error.description.contains("right-secret"))
            }

            let assumed = try await sts.assumeRole(roleArn: "arn:aws:iam::222222222222:role/LabCheckGrader", sessionName: "labcheck-s02")
            #expect(assumed.credentials.accessKeyId.hasPrefix("ASIA"))
            #expect(assumed.credentials.sessionToken != nil)
            #expect(assumed.credentials.expiration != nil)
            #expect(assumed.assumedRoleArn == "arn:aws:sts::222222222222:assumed-role/LabCheckGrader/labcheck-s02")
            #expect(!String(describing: assumed).contains(assumed.credentials.secretAccessKey))
            let (roleECR, roleSTS) = clients(fake, http: http, key: assumed.credentials.accessKeyId,
                                             secret: assumed.credentials.secretAccessKey, token: assumed.credentials.sessionToken)
            #expect(try await roleSTS.getCallerIdentity().account == "222222222222")
            #expect(try await roleECR.allRepositories().isEmpty)

            do {
                _ = try await sts.assumeRole(roleArn: "arn:aws:iam::222222222222:role/Admin", sessionName: "labcheck-s02")
                Issue.record("an unassumable role was assumed")
            } catch let error as AWSServiceError {
                #expect(error.code == "AccessDenied")
                #expect(error.operation == "sts:AssumeRole")
            }
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
        await fake.stop()
    }
}
