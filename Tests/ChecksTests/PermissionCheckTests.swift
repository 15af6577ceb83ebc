import AsyncHTTPClient
import AWSCore
import Checks
import ECRWire
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// The `permissionsGranted` kind, the lab's pre-flight and the doctor's diagnosis, against a scripted STS and
/// IAM policy simulator (the fake's IAM is tested in LabCheckCLITests once it serves one).
@Suite("Permission checks")
struct PermissionCheckTests {
    static let pullAndPush: Set<String> = [
        "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
    ]
    static let roleSession = "arn:aws:sts::111111111111:assumed-role/eks-edu-student/i-0abc"

    func with(_ script: ScriptedIAM.Script, _ body: (ScriptedIAM, AccountClients) async throws -> Void) async throws {
        let server = try await ScriptedIAM.start(script)
        let http = AWSClient.makeHTTPClient()
        do {
            let clients = AccountClients.fixed(TestFakeECR.exampleCredentials, endpoint: server.endpoint, region: "ap-northeast-2",
                                               httpClient: http, retryPolicy: RetryPolicy(maxAttempts: 1))
            try await body(server, clients)
        } catch {
            Issue.record(error)
        }
        try await http.shutdown()
        await server.stop()
    }

    func preflight(_ clients: AccountClients) async throws -> StepResult {
        let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
        let ledger = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: ledger) }
        let result = try await AccountGrader(spec: spec, phase: .preflight, ledgers: LedgerStore(directory: ledger), history: nil).grade(clients)
        #expect(result.steps.map(\.id) == ["preflight-pull-push"])
        #expect(result.totalPoints == 0)
        return try #require(result.steps.first)
    }

    @Test("the pre-flight simulates an assumed role's session as its role and passes when pull and push are allowed")
    func preflightPasses() async throws {
        try await with(.init(callerArn: Self.roleSession, allowedActions: Self.pullAndPush)) { server, clients in
            let step = try await preflight(clients)
            #expect(step.status == .passed, "\(step.message.en)")
            #expect(step.message.en == "arn:aws:iam::111111111111:role/eks-edu-student is allowed all 8 actions needed")
            #expect(server.simulations.map { $0["PolicySourceArn"] } == Array(repeating: "arn:aws:iam::111111111111:role/eks-edu-student", count: 2))
            // One call for `*` (GetAuthorizationToken), one for the three repositories with every repository action.
            let repositories = try #require(server.simulations.last)
            #expect(repositories["ResourceArns.member.3"] == "arn:aws:ecr:ap-northeast-2:111111111111:repository/public.ecr.aws/nginx/nginx")
            #expect(repositories["ActionNames.member.7"] == "ecr:PutImage")
        }
    }

    @Test("a principal without ecr:PutImage fails the pre-flight, which names the action on each repository and costs no point")
    func preflightNamesTheMissingAction() async throws {
        let script = ScriptedIAM.Script(callerArn: "arn:aws:iam::111111111111:user/student", allowedActions: Self.pullAndPush.subtracting(["ecr:PutImage"]))
        try await with(script) { _, clients in
            let step = try await preflight(clients)
            #expect(step.status == .failed)
            #expect(step.points == 0 && step.earned == 0)
            #expect(step.message.en.hasPrefix("arn:aws:iam::111111111111:user/student is missing: ecr:PutImage on arn:aws:ecr:ap-northeast-2:111111111111:repository/public.ecr.aws/eks/aws-load-balancer-controller (no policy allows it); "))
            #expect(step.message.en.components(separatedBy: "ecr:PutImage on").count == 4, "three repositories: \(step.message.en)")
            #expect(!step.message.en.contains("ecr:UploadLayerPart"))
            #expect(step.message.ko.contains("ecr:PutImage"))
        }
    }

    @Test("no permission to simulate: an error that says so, never a failure or a lost point")
    func simulationDenied() async throws {
        try await with(.init(callerArn: Self.roleSession, allowedActions: [], simulationDenied: true)) { _, clients in
            let step = try await preflight(clients)
            #expect(step.status == .error)
            #expect(step.errorType == "AccessDenied")
            #expect(step.message.en.hasPrefix("cannot check the permissions (this costs no points): these credentials may not call iam:SimulatePrincipalPolicy (AccessDenied: "))
            #expect(step.points == 0)
        }
    }

    @Test("the doctor lists, per lab step, the permissions it needs and the missing ones")
    func diagnosis() async throws {
        let script = ScriptedIAM.Script(callerArn: "arn:aws:iam::111111111111:user/student", allowedActions: Self.pullAndPush.subtracting(["ecr:PutImage"]))
        try await with(script) { _, clients in
            let spec = try SpecLoader.load(contentsOf: RepositoryFiles.labSpec)
            let reader = AccountReader(ecr: clients.ecr, sts: clients.sts, iam: clients.iam)
            let diagnosis = await PermissionDiagnosis.diagnose(spec: spec, reader: reader, region: clients.region)
            #expect(diagnosis.subject == .principal("arn:aws:iam::111111111111:user/student"))
            #expect(diagnosis.steps.map(\.id) == spec.steps.map(\.id), "every step of the lab lists its permissions")
            #expect(diagnosis.missingActions.first == "ecr:PutImage")
            let image = try #require(diagnosis.steps.first { $0.id == "image-nginx" })
            #expect(image.status == .failed)
            #expect(image.missing.map(\.action) == ["ecr:PutImage"])
            let cache = try #require(diagnosis.steps.first { $0.id == "cache-nginx" })
            #expect(cache.grants.last?.resources == ["arn:aws:ecr:ap-northeast-2:111111111111:repository/*/nginx/nginx"], "an unknown ${prefix} is *")
            #expect(Set(cache.missing.map(\.action)) == ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"])
            #expect(!diagnosis.couldNotCheck)
        }
    }

    @Test("whom the simulator evaluates for a caller")
    func simulationSubjects() {
        #expect(SimulationSubject.of(callerArn: "arn:aws:sts::123456789012:assumed-role/Admin/session") == .principal("arn:aws:iam::123456789012:role/Admin"))
        #expect(SimulationSubject.of(callerArn: "arn:aws-cn:sts::123456789012:assumed-role/R/s") == .principal("arn:aws-cn:iam::123456789012:role/R"))
        #expect(SimulationSubject.of(callerArn: "arn:aws:iam::123456789012:user/team/alice") == .principal("arn:aws:iam::123456789012:user/team/alice"))
        #expect(SimulationSubject.of(callerArn: "arn:aws:iam::123456789012:root") == .root(account: "123456789012"))
        if case .unsupported(let reason) = SimulationSubject.of(callerArn: "arn:aws:sts::123456789012:federated-user/bob") {
            #expect(reason.contains("federated user"))
        } else {
            Issue.record("a federated user cannot be simulated")
        }
    }

    @Test("a spec's permissions are validated at load time: action names, ARNs, no points for a pre-flight")
    func specValidation() throws {
        func load(_ check: String, phase: String = "preflight", points: Int = 0) throws -> LabSpec {
            try SpecLoader.parse("""
            schemaVersion: 1
            lab: {id: t, title: t}
            steps:
              - id: s
                phase: \(phase)
                points: \(points)
                title: t
                check:
            \(check)
            """, file: "t.yaml")
        }
        let good = try load("      kind: permissionsGranted\n      principal: arn:aws:iam::${account}:user/x\n      permissions: [{actions: [ecr:PutImage], resources: [\"arn:aws:ecr:${region}:${account}:repository/r\"]}]")
        guard case .permissionsGranted(let check) = good.steps.first?.check else { Issue.record("not parsed"); return }
        #expect(check.principal?.raw == "arn:aws:iam::${account}:user/x")
        #expect(check.permissions.first?.actions == ["ecr:PutImage"])
        let badAction = #expect(throws: SpecError.self) { try load("      kind: permissionsGranted\n      permissions: [{actions: [PutImage]}]") }
        #expect(badAction?.description.contains("'PutImage' is not an IAM action of the form service:Action") == true)
        let badResource = #expect(throws: SpecError.self) { try load("      kind: permissionsGranted\n      permissions: [{actions: [ecr:PutImage], resources: [repo]}]") }
        #expect(badResource?.description.contains("neither an ARN") == true)
        let points = #expect(throws: SpecError.self) { try load("      kind: permissionsGranted\n      permissions: [{actions: [ecr:PutImage]}]", points: 5) }
        #expect(points?.description.contains("a preflight step is worth no points") == true)
    }
}
