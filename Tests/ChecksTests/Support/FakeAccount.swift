import AsyncHTTPClient
import AWSCore
import Checks
import ECRWire
import FakeECR
import Foundation

/// Paths of the repository's own files, found from this source file.
enum RepositoryFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let labSpec = root.appendingPathComponent("checks/ecr-lab.yaml")
    static let states = root.appendingPathComponent("fixtures/states")

    static func state(_ name: String) -> URL { states.appendingPathComponent("\(name).json") }
}

/// A fake ECR started in-process on an ephemeral loopback port, and clients that talk to it over HTTP.
final class FakeAccount: Sendable {
    static let accountId = "539666729110"
    static let region = "ap-northeast-1"

    let fake: RunningFakeECR
    let http: HTTPClient
    let client: AWSClient
    let ecr: ECRClient
    let sts: STSClient

    init(fake: RunningFakeECR, http: HTTPClient) {
        self.fake = fake
        self.http = http
        let credentials = Credentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        self.client = AWSClient(httpClient: http, credentialProvider: StaticCredentialProvider(credentials), retryPolicy: .none)
        self.ecr = ECRClient(client: client, endpoint: fake.endpoint, region: Self.region)
        self.sts = STSClient(client: client, endpoint: fake.endpoint, region: Self.region)
    }

    static func start() async throws -> FakeAccount {
        let fake = try await FakeECRServer.start(FakeECRConfiguration(defaultAccountId: accountId, defaultRegion: region))
        return FakeAccount(fake: fake, http: AWSClient.makeHTTPClient())
    }

    func load(state name: String) async throws {
        let url = RepositoryFiles.state(name)
        try await fake.reset()
        try await fake.loadState(try StateDocument.parse(try Data(contentsOf: url), file: url.path))
    }

    /// Grades `spec` against the fake with the ledger kept in `ledgerDirectory`.
    func grade(_ spec: LabSpec, phase: PhaseSelection = .all, ledgerDirectory: URL) async throws -> LabResult {
        let store = LedgerStore(directory: ledgerDirectory)
        let reader = AccountReader(ecr: ecr, sts: sts)
        let labId = spec.id
        let output = try await Evaluator(spec: spec, reader: reader).evaluate(
            phase: phase, accountId: nil, region: Self.region, apiCalls: { [client] in client.totalRequests },
            loadLedger: { try store.load(labId: labId, accountId: $0) })
        try store.save(output.ledger)
        return output.result
    }

    func shutdown() async {
        try? await http.shutdown()
        await fake.stop()
    }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("labcheck-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
