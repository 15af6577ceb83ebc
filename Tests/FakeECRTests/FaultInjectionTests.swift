import AWSCore
import ECRWire
import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// `fake-ecr --faults` / `PUT /_fake/faults`: seeded faults per plane and operation, as clients meet them.
@Suite("Fault injection")
struct FaultInjectionTests {
    static let credentials = Credentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret")

    func withFake(_ plan: FaultPlan?, _ body: (RunningFakeECR, AccountClients) async throws -> Void) async throws {
        var configuration = FakeECRConfiguration(defaultAccountId: "539666729110", defaultRegion: "ap-northeast-1")
        configuration.logger.logLevel = .critical
        configuration.faults = plan
        configuration.adminAPI = AdminAPIAccess()
        let fake = try await FakeECRServer.start(configuration)
        let http = AWSClient.makeHTTPClient()
        let clients = AccountClients.fixed(Self.credentials, endpoint: fake.endpoint, region: "ap-northeast-1", httpClient: http, retryPolicy: .none)
        do {
            try await body(fake, clients)
        } catch {
            Issue.record(error)
        }
        try? await http.shutdown()
        await fake.stop()
    }

    func serviceError(_ body: () async throws -> Void) async -> AWSServiceError? {
        do {
            try await body()
            return nil
        } catch let error as AWSServiceError {
            return error
        } catch {
            Issue.record("expected a service error, got \(error)")
            return nil
        }
    }

    @Test("throttling, 500 and 503 come in each plane's own words; other operations are untouched")
    func serviceErrors() async throws {
        let plan = FaultPlan(rules: [
            .init(plane: .ecr, operations: ["DescribeRepositories"], fault: .throttle, rate: 1),
            .init(plane: .ecr, operations: ["DescribePullThroughCacheRules"], fault: .serverError, rate: 1),
            .init(plane: .ecr, operations: ["DescribeRegistry"], fault: .unavailable, rate: 1),
            .init(plane: .sts, fault: .throttle, rate: 1),
        ])
        try await withFake(plan) { fake, clients in
            let throttled = await serviceError { _ = try await clients.ecr.allRepositories() }
            #expect(throttled?.code == "ThrottlingException")
            #expect(throttled?.category == .throttling)
            let failed = await serviceError { _ = try await clients.ecr.allPullThroughCacheRules() }
            #expect(failed?.code == "ServerException" && failed?.httpStatus == 500)
            let unavailable = await serviceError {
                _ = try await clients.ecr.json.call("DescribeRegistry", DescribeRegistryRequest(), as: DescribeRegistryResponse.self)
            }
            #expect(unavailable?.httpStatus == 503)
            let sts = await serviceError { _ = try await clients.sts.getCallerIdentity() }
            #expect(sts?.code == "Throttling")
            // Not in the plan: answered as usual.
            let token = try await clients.ecr.getAuthorizationToken()
            #expect(token.authorizationData?.isEmpty == false)
            #expect(fake.injectedFaults["ecr:DescribeRepositories:throttle"] == 1)
        }
    }

    @Test("empty, truncated and dropped answers are errors to our client, never an empty listing")
    func brokenAnswers() async throws {
        for fault in [FaultPlan.Fault.emptyBody, .truncatedBody, .reset] {
            let plan = FaultPlan(rules: [.init(plane: .ecr, operations: ["DescribeRepositories"], fault: fault, rate: 1)])
            try await withFake(plan) { _, clients in
                _ = try await clients.ecr.json.call(
                    "CreateRepository", CreateRepositoryRequest(repositoryName: "public.ecr.aws/nginx/nginx"), as: CreateRepositoryResponse.self)
                do {
                    let repositories = try await clients.ecr.allRepositories()
                    Issue.record("\(fault): read as \(repositories.count) repositories")
                } catch {
                    #expect(error is AWSServiceError || error is AWSTransportError, "\(fault): \(error)")
                }
            }
        }
    }

    @Test("latency holds the answer back and then answers it")
    func latency() async throws {
        let plan = FaultPlan(rules: [.init(plane: .ecr, fault: .latency, rate: 1, latencyMilliseconds: 50)])
        try await withFake(plan) { fake, clients in
            let repositories = try await clients.ecr.allRepositories()
            #expect(repositories.isEmpty)
            #expect(fake.injectedFaults["ecr:DescribeRepositories:latency"] == 1)
        }
    }

    @Test("the registry plane: a manifest GET is BatchGetImage and gets the registry's 429")
    func registryPlane() async throws {
        let plan = FaultPlan(rules: [.init(plane: .registry, operations: ["BatchGetImage"], fault: .throttle, rate: 1)])
        try await withFake(plan) { fake, _ in
            let answer = try await TestFakeECR.send("GET", fake.endpoint.absoluteString + "/v2/some/repo/manifests/latest")
            #expect(answer.status == 429)
            #expect(answer.text.contains("TOOMANYREQUESTS"))
            let base = try await TestFakeECR.send("GET", fake.endpoint.absoluteString + "/v2/")
            #expect(base.status != 429)
        }
    }

    @Test("seeded: the same plan over the same requests injects the same faults")
    func seeded() async throws {
        let plan = FaultPlan(seed: 42, rules: [.init(plane: .ecr, fault: .throttle, rate: 0.5)])
        try await withFake(plan) { fake, clients in
            func pattern() async -> [Bool] {
                var outcomes: [Bool] = []
                for _ in 0..<40 {
                    outcomes.append(await serviceError { _ = try await clients.ecr.allRepositories() } != nil)
                }
                return outcomes
            }
            let first = await pattern()
            fake.setFaults(plan)
            let second = await pattern()
            #expect(first == second)
            #expect(first.contains(true) && first.contains(false), "\(first)")
        }
    }

    @Test("the admin API sets, shows and clears a plan; bad plans are refused with the JSON path")
    func adminAPI() async throws {
        try await withFake(nil) { fake, clients in
            let base = fake.endpoint.absoluteString
            let body = Data(#"{"seed":1,"rules":[{"plane":"ecr","operations":["DescribeRepositories"],"fault":"throttle","rate":1}]}"#.utf8)
            let set = try await TestFakeECR.send("PUT", base + "/_fake/faults", body: body)
            #expect(set.status == 200, "\(set.text)")
            let throttled = await serviceError { _ = try await clients.ecr.allRepositories() }
            #expect(throttled?.code == "ThrottlingException")
            let status = try await TestFakeECR.send("GET", base + "/_fake/faults")
            #expect(status.text.contains("ecr:DescribeRepositories:throttle"), "\(status.text)")
            let cleared = try await TestFakeECR.send("DELETE", base + "/_fake/faults")
            #expect(cleared.status == 200)
            let repositories = try await clients.ecr.allRepositories()
            #expect(repositories.isEmpty)

            for (plan, path) in [
                (#"{"rules":[{"fault":"throttle","rate":1.5}]}"#, "$.rules[0].rate"),
                (#"{"rules":[{"fault":"latency","rate":1}]}"#, "$.rules[0].latencyMilliseconds"),
                (#"{"rules":[{"fault":"throttle","rate":1,"oops":1}]}"#, "$.rules[0].oops"),
                (#"{"rules":[{"fault":"explode","rate":1}]}"#, "$.rules[0].fault"),
            ] {
                let refused = try await TestFakeECR.send("PUT", base + "/_fake/faults", body: Data(plan.utf8))
                #expect(refused.status == 400, "\(plan): \(refused.text)")
                #expect(refused.text.contains(path), "\(plan): \(refused.text)")
            }
        }
    }
}
