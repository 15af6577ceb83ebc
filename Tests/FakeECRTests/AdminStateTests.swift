import FakeECR
import FakeECRTesting
import Foundation
import Testing

@Suite("Admin API and state files")
struct AdminStateTests {
    /// `configuration` with the admin API on (loopback, no token), as these tests call it over HTTP.
    static func admin(_ configuration: FakeECRConfiguration) -> FakeECRConfiguration {
        var configuration = configuration
        configuration.adminAPI = AdminAPIAccess()
        return configuration
    }

    static let fullState = """
        {
          "schemaVersion": 1,
          "registries": [
            {
              "accountId": "539666729110",
              "region": "ap-northeast-1",
              "repositories": [
                {
                  "repositoryName": "public.ecr.aws/eks/aws-load-balancer-controller",
                  "createdAt": "2025-04-02T06:49:07Z",
                  "imageTagMutability": "MUTABLE",
                  "imageScanningConfiguration": {"scanOnPush": false},
                  "encryptionConfiguration": {"encryptionType": "AES256"},
                  "images": [
                    {
                      "imageDigest": "sha256:165f67c8f8cffbeadb70b51558091cc7fa1c7246ed173de7a5a76a67eec092cc",
                      "imageTags": ["v2.9.2"],
                      "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
                      "imageSizeInBytes": 1234,
                      "imagePushedAt": "2025-04-02T07:00:00.250Z"
                    }
                  ]
                }
              ],
              "pullThroughCacheRules": [
                {
                  "ecrRepositoryPrefix": "public-ecr-9641173",
                  "upstreamRegistryUrl": "public.ecr.aws",
                  "upstreamRegistry": "ecr-public",
                  "createdAt": "2025-04-02T08:00:00Z",
                  "updatedAt": "2025-04-02T08:00:00Z"
                }
              ]
            }
          ]
        }
        """

    static func canonical(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    @Test func loadThenExportIsTheSame() async throws {
        // The caller is the seeded account (539666729110): another account would be refused its registry.
        try await TestFakeECR.with(Self.admin(TestFakeECR.configuration())) { fake in
            let put = try await fake.send("PUT", "/_fake/state", body: Data(Self.fullState.utf8))
            #expect(put.status == 200, "\(put.text)")
            let exported = try await fake.send("GET", "/_fake/state")
            #expect(exported.status == 200)
            #expect(try Self.canonical(exported.body) == Self.canonical(Data(Self.fullState.utf8)))
            // The seeded data answers ECR calls in its account and region.
            let described = try await fake.ecr("DescribeImages", #"{"repositoryName":"public.ecr.aws/eks/aws-load-balancer-controller","registryId":"539666729110"}"#, region: "ap-northeast-1")
            #expect((described.json["imageDetails"] as? [[String: Any]])?.first?["imageTags"] as? [String] == ["v2.9.2"])
            // In-process access gives the same document, with the trail of the call just made.
            let document = await fake.server.exportState()
            let seeded = try #require(document.registries.first { $0.accountId == "539666729110" && $0.region == "ap-northeast-1" })
            #expect(seeded.trail?.map(\.eventName) == ["DescribeImages"])
            var withoutTrail = document
            withoutTrail.registries = document.registries.map { registry in
                var registry = registry
                registry.trail = nil
                return registry
            }
            #expect(try Self.canonical(try withoutTrail.encoded()) == Self.canonical(Data(Self.fullState.utf8)))
            try await fake.server.reset()
            #expect(await fake.server.exportState().registries.isEmpty)
            try await fake.server.loadState(document)
            #expect(await fake.server.exportState() == document)
        }
    }

    @Test func minimalStateGetsDefaults() async throws {
        let minimal = #"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app"}],"pullThroughCacheRules":[{"ecrRepositoryPrefix":"k8s","upstreamRegistryUrl":"registry.k8s.io"}]}]}"#
        try await TestFakeECR.with(Self.admin(FakeECRConfiguration(defaultRegion: "ap-northeast-1"))) { fake in
            #expect(try await fake.send("PUT", "/_fake/state", body: Data(minimal.utf8)).status == 200)
            let document = await fake.server.exportState()
            let registry = try #require(document.registries.first)
            #expect(registry.accountId == "123456789012")
            #expect(registry.region == "ap-northeast-1")
            #expect(registry.pullThroughCacheRules?.first?.upstreamRegistry == "k8s")
            #expect(registry.repositories?.first?.imageTagMutability == "MUTABLE")
        }
    }

    @Test(arguments: [
        (#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app","colour":"red"}]}]}"#, "$.registries[0].repositories[0].colour"),
        (#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"App"}]}]}"#, "$.registries[0].repositories[0].repositoryName"),
        (#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app","imageTagMutability":"SOMETIMES"}]}]}"#, "$.registries[0].repositories[0].imageTagMutability"),
        (#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app","createdAt":"yesterday"}]}]}"#, "$.registries[0].repositories[0].createdAt"),
        (#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app","createdAt":"10000-01-01T00:00:00Z"}]}]}"#, "$.registries[0].repositories[0].createdAt"),
        (#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app","createdAt":1e15}]}]}"#, "$.registries[0].repositories[0].createdAt"),
        (#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app","createdAt":"1582-12-31T23:59:59Z"}]}]}"#, "$.registries[0].repositories[0].createdAt"),
        // Fuzz/ fuzz-state's find (CI, seed 1): a year this long was read, exported as 2789354-07-30 and read back as another date.
        (#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app","createdAt":"2025999999999999999999999999999999-04-02T07:10:00Z"}]}]}"#, "$.registries[0].repositories[0].createdAt"),
        (#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app","images":[{"imageDigest":"sha256:xyz"}]}]}]}"#, "$.registries[0].repositories[0].images[0].imageDigest"),
        (#"{"schemaVersion":1,"registries":[{"accountId":"12"}]}"#, "$.registries[0].accountId"),
        (#"{"schemaVersion":2,"registries":[]}"#, "$.schemaVersion"),
        (#"{"schemaVersion":1,"registries":[{"pullThroughCacheRules":[{"ecrRepositoryPrefix":"p1","upstreamRegistryUrl":"example.com"}]}]}"#, "$.registries[0].pullThroughCacheRules[0].upstreamRegistryUrl"),
        (#"{"schemaVersion":1}"#, "$.registries"),
        ("{nope", "$"),
    ])
    func badStateNamesThePath(document: String, path: String) async throws {
        try await TestFakeECR.with(Self.admin(FakeECRConfiguration())) { fake in
            let answer = try await fake.send("PUT", "/_fake/state", body: Data(document.utf8))
            #expect(answer.status == 400)
            let error = try #require(answer.json["error"] as? String)
            #expect(error.hasPrefix("request body: at \(path):"), "\(error)")
        }
    }

    @Test("dates at the ends of years 1583 to 9999 survive an export and import unchanged")
    func boundaryDatesRoundTrip() throws {
        let key = RegistryKey(accountId: "539666729110", region: "ap-northeast-1")
        for date in ["1583-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"] {
            let document = #"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryName":"app","createdAt":"\#(date)"}]}]}"#
            let states = try StateDocument.states(from: Data(document.utf8), file: "state.json", defaults: key)
            let again = try StateDocument.states(from: try StateDocument(states: states).encoded(), file: "export.json", defaults: key)
            #expect(again == states, "\(date)")
        }
    }

    @Test func stateFileSeedsTheServerAndBadFilesAreRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-ecr-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.json")
        try Data(Self.fullState.utf8).write(to: good)
        try await TestFakeECR.with(Self.admin(FakeECRConfiguration(stateFile: good))) { fake in
            #expect(await fake.server.exportState().registries.first?.accountId == "539666729110")
        }
        let bad = directory.appendingPathComponent("bad.json")
        try Data(#"{"schemaVersion":1,"registries":[{"repositories":[{"repositoryNam":"x"}]}]}"#.utf8).write(to: bad)
        do {
            _ = try await FakeECRServer.start(FakeECRConfiguration(stateFile: bad))
            Issue.record("a bad state file must be refused")
        } catch let error as InputFileError {
            #expect(error.file == bad.path)
            #expect(error.path == "$.registries[0].repositories[0].repositoryNam")
            #expect(error.problem.contains("unknown key"))
        }
    }

    @Test func requestCounters() async throws {
        try await TestFakeECR.with(Self.admin(FakeECRConfiguration())) { fake in
            for _ in 0..<3 { _ = try await fake.ecr("DescribeRepositories") }
            _ = try await fake.ecr("CreateRepository", #"{"repositoryName":"a1"}"#)
            let counts = try await fake.send("GET", "/_fake/requests")
            #expect(counts.json["ecr:DescribeRepositories"] as? Int == 3)
            #expect(counts.json["ecr:CreateRepository"] as? Int == 1)
            let byAccount = try await fake.send("GET", "/_fake/requests?byAccount=1")
            #expect((byAccount.json["123456789012"] as? [String: Any])?["ecr:DescribeRepositories"] as? Int == 3)
            #expect(try await fake.send("POST", "/_fake/requests/reset").status == 200)
            #expect(await fake.server.requestCounts().isEmpty)
            #expect(try await fake.send("POST", "/_fake/reset").status == 200)
            #expect((try await fake.ecr("DescribeRepositories").json["repositories"] as? [Any])?.count == 0)
            #expect(try await fake.send("GET", "/_fake/nothing").status == 404)
        }
    }
}
