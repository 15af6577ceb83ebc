import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// `labcheck doctor` and `labcheck check --phase preflight` against the real fake (`--iam enforce`, an accounts
/// file, SigV4), not a scripted simulator: the fake's STS says who the caller is, its IAM simulates the caller's
/// policies, and the same engine would refuse the calls.
@Suite("labcheck doctor and the pre-flight against fake-ecr --iam enforce", .serialized)
struct DoctorCLITests {
    static let account = "111111111111"
    static let region = "ap-northeast-1"
    static let role = "arn:aws:iam::111111111111:role/eks-edu-student"
    static func userArn(_ name: String) -> String { "arn:aws:iam::\(account):user/\(name)" }

    /// Every ECR action the lab's steps take, except ecr:PutImage.
    static let allButPutImage = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:Create*", "ecr:Delete*", "ecr:Describe*", "ecr:List*", "ecr:BatchImportUpstreamImage", "ecr:BatchDeleteImage"], "Resource": "*"}]}"#
    /// iam:SimulatePrincipalPolicy on the caller's own user (a policy variable), or on the role.
    static let simulateSelf = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:SimulatePrincipalPolicy", "Resource": "arn:aws:iam::111111111111:user/${aws:username}"}]}"#
    static let simulateRole = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:SimulatePrincipalPolicy", "Resource": "arn:aws:iam::111111111111:role/eks-edu-student"}]}"#
    static let ecrAll = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}"#

    /// `student` lacks ecr:PutImage and may simulate itself; `nosim` lacks ecr:PutImage and may not simulate;
    /// the role `eks-edu-student`, which `student` may assume, may do all of ECR and simulate itself.
    static let accountsJSON = """
    {"accounts": [{
      "accountId": "111111111111", "accessKeyId": "AKIADOCTORADMIN00001", "secretAccessKey": "admin-secret", "userName": "admin",
      "users": [
        {"userName": "student", "accessKeys": [{"accessKeyId": "AKIADOCTORSTUDENT001", "secretAccessKey": "student-secret"}],
         "inlinePolicies": {"lab-work": \(allButPutImage), "simulate-self": \(simulateSelf)}},
        {"userName": "nosim", "accessKeys": [{"accessKeyId": "AKIADOCTORNOSIM00001", "secretAccessKey": "nosim-secret"}],
         "inlinePolicies": {"lab-work": \(allButPutImage)}}
      ],
      "assumableRoles": [{"arn": "\(role)", "trustedPrincipals": ["arn:aws:iam::111111111111:user/student"],
                          "inlinePolicies": {"ecr-all": \(ecrAll), "simulate-self": \(simulateRole)}}]
    }]}
    """

    static let keys = [
        "student": ("AKIADOCTORSTUDENT001", "student-secret"), "nosim": ("AKIADOCTORNOSIM00001", "nosim-secret"),
    ]

    /// Runs `body` with a fake enforcing the accounts file above and a home folder for labcheck.
    static func with(_ body: (TestFakeECR, URL) async throws -> Void) async throws {
        var configuration = TestFakeECR.configuration()
        configuration.accounts = try AccountsFile.parse(Data(accountsJSON.utf8), file: "accounts.json")
        configuration.authMode = .sigv4
        configuration.iam = .enforce
        configuration.defaultRegion = region
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try await TestFakeECR.with(configuration) { fake in try await body(fake, home) }
    }

    /// labcheck as `user` (its keys in the environment), every endpoint the fake.
    static func labcheck(_ arguments: [String], as user: String, fake: TestFakeECR, home: URL) async throws -> LabCheckBinary.Run {
        let (key, secret) = try #require(keys[user])
        let environment = LabCheckBinary.environment([
            "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_ENDPOINT_URL": fake.base, "AWS_REGION": region, "AWS_MAX_ATTEMPTS": "1",
        ], home: home)
        return try await LabCheckBinary.run(arguments + ["--lang", "en"], environment: environment)
    }

    /// The English text of a summary's `{"ko": …, "en": …}`.
    static func english(_ value: Any?) -> String { ((value as? [String: Any])?["en"] as? String) ?? "" }

    static func putImageMissing(_ repository: String) -> String {
        "ecr:PutImage on arn:aws:ecr:\(region):\(account):repository/\(repository) (no policy allows it)"
    }

    @Test("doctor names ecr:PutImage as missing for the pre-flight and the three push steps, and nothing else")
    func doctorNamesPutImage() async throws {
        try await Self.with { fake, home in
            let run = try await Self.labcheck(["doctor"], as: "student", fake: fake, home: home)
            #expect(run.status == 1, "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
            #expect(run.stdout.contains("identity     \(Self.userArn("student")) (account \(Self.account))"), "\(run.stdout)")
            #expect(run.stdout.contains("simulated as \(Self.userArn("student"))"), "\(run.stdout)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            let missingSteps = lines.filter { $0.contains(" MISSING ") }.compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(missingSteps == ["preflight-pull-push", "image-aws-lbc", "image-cluster-autoscaler", "image-nginx"], "\(run.stdout)")
            for repository in ["public.ecr.aws/eks/aws-load-balancer-controller", "registry.k8s.io/autoscaling/cluster-autoscaler", "public.ecr.aws/nginx/nginx"] {
                #expect(run.stdout.contains("- " + Self.putImageMissing(repository)), "\(repository): \(run.stdout)")
            }
            #expect(run.stdout.contains("4 step(s) lack permissions: ecr:PutImage\n"), "\(run.stdout)")
            #expect(!run.stdout.contains("unknown"), "every step could be simulated: \(run.stdout)")
        }
    }

    @Test("check --phase preflight fails the pre-flight naming ecr:PutImage; the graded lab is still 100 points without it")
    func preflightNamesPutImage() async throws {
        try await Self.with { fake, home in
            let output = home.appendingPathComponent("reports").path
            let run = try await Self.labcheck(["check", "--phase", "preflight", "--output", output, "--format", "json", "--no-history"], as: "student", fake: fake, home: home)
            #expect(run.status == 1, "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
            let steps = try #require(summary["steps"] as? [[String: Any]])
            #expect(steps.compactMap { $0["id"] as? String } == ["preflight-pull-push"])
            let step = try #require(steps.first)
            #expect(step["status"] as? String == "failed")
            let message = Self.english(step["message"])
            #expect(message.contains("\(Self.userArn("student")) is missing: "), "\(message)")
            #expect(message.contains(Self.putImageMissing("public.ecr.aws/nginx/nginx")), "\(message)")
            #expect(!message.contains("ecr:InitiateLayerUpload"), "only the missing action is named: \(message)")
            let score = try #require(summary["score"] as? [String: Any])
            #expect(score["total"] as? Int == 0 && score["earned"] as? Int == 0, "the pre-flight is worth no points: \(score)")

            // The graded lab (the default phase) is the build and cleanup: 100 points, no pre-flight among them.
            let graded = try await Self.labcheck(["check", "--output", output, "--format", "json", "--no-history"], as: "student", fake: fake, home: home)
            let all = try #require(try JSONSerialization.jsonObject(with: Data(graded.stdout.utf8)) as? [String: Any], "\(graded.stdout)\(graded.stderr)")
            #expect((all["score"] as? [String: Any])?["total"] as? Int == 100, "\(all["score"] ?? "")")
            let gradedSteps = (all["steps"] as? [[String: Any]]) ?? []
            #expect(!gradedSteps.contains { $0["id"] as? String == "preflight-pull-push" })
            #expect(!gradedSteps.contains { $0["status"] as? String == "error" }, "the student may read everything the checks read: \(gradedSteps)")
        }
    }

    @Test("without iam:SimulatePrincipalPolicy: doctor and the pre-flight say the permissions cannot be checked, never a failure")
    func noPermissionToSimulate() async throws {
        try await Self.with { fake, home in
            let doctor = try await Self.labcheck(["doctor"], as: "nosim", fake: fake, home: home)
            #expect(doctor.status == 3, "stdout:\n\(doctor.stdout)\nstderr:\n\(doctor.stderr)")
            #expect(doctor.stdout.contains("these credentials may not call iam:SimulatePrincipalPolicy"), "\(doctor.stdout)")
            #expect(doctor.stdout.contains("User: \(Self.userArn("nosim")) is not authorized to perform: iam:SimulatePrincipalPolicy"), "\(doctor.stdout)")
            #expect(!doctor.stdout.contains("MISSING"), "\(doctor.stdout)")
            #expect(doctor.stdout.contains("some steps' permissions could not be checked (this costs no points)."), "\(doctor.stdout)")

            let output = home.appendingPathComponent("reports").path
            let run = try await Self.labcheck(["check", "--phase", "preflight", "--output", output, "--format", "json", "--no-history"], as: "nosim", fake: fake, home: home)
            #expect(run.status == 3, "could not evaluate, not failed: \(run.stdout)\(run.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
            let step = try #require((summary["steps"] as? [[String: Any]])?.first)
            #expect(step["status"] as? String == "error")
            #expect(Self.english(step["message"]).contains("cannot check the permissions (this costs no points)"), "\(step)")
            #expect((summary["score"] as? [String: Any])?["total"] as? Int == 0)
        }
    }

    @Test("an assumed role (role_arn with source_profile) is simulated as its role: doctor and the pre-flight pass")
    func assumedRoleIsSimulatedAsItsRole() async throws {
        try await Self.with { fake, home in
            try "[profile lab]\nrole_arn = \(Self.role)\nsource_profile = student\nregion = \(Self.region)\n"
                .write(to: home.appendingPathComponent("config"), atomically: true, encoding: .utf8)
            try "[student]\naws_access_key_id = AKIADOCTORSTUDENT001\naws_secret_access_key = student-secret\n"
                .write(to: home.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
            let environment = LabCheckBinary.environment(["AWS_ENDPOINT_URL": fake.base, "AWS_PROFILE": "lab", "AWS_MAX_ATTEMPTS": "1"], home: home)
            let doctor = try await LabCheckBinary.run(["doctor", "--lang", "en"], environment: environment)
            #expect(doctor.status == 0, "stdout:\n\(doctor.stdout)\nstderr:\n\(doctor.stderr)")
            #expect(doctor.stdout.contains("identity     arn:aws:sts::111111111111:assumed-role/eks-edu-student/"), "\(doctor.stdout)")
            #expect(doctor.stdout.contains("simulated as \(Self.role)"), "\(doctor.stdout)")
            #expect(doctor.stdout.contains("every step's permissions are granted."), "\(doctor.stdout)")

            let output = home.appendingPathComponent("reports").path
            let run = try await LabCheckBinary.run(["check", "--phase", "preflight", "--output", output, "--format", "json", "--no-history"], environment: environment)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            let step = (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]).flatMap { ($0["steps"] as? [[String: Any]])?.first }
            #expect(step?["status"] as? String == "passed", "\(run.stdout)")
            let message = Self.english(step?["message"])
            #expect(message.contains("\(Self.role) is allowed all 8 actions needed"), "\(run.stdout)")
        }
    }
}
