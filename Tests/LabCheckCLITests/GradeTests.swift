import Checks
import FakeECR
import Foundation
import LabCheckTestSupport
import Reports
import Testing

/// `labcheck grade` against a fake serving a whole class: 30 accounts, roles assumed through STS.
@Suite("labcheck grade", .serialized)
struct GradeTests {
    /// Before the fixtures' histories (April 2025).
    static let since = "2025-01-01"
    static let classDirectory = RepositoryFiles.root.appendingPathComponent("fixtures/class")
    static let instructor = ["AWS_ACCESS_KEY_ID": "AKIAINSTRUCTOR000001", "AWS_SECRET_ACCESS_KEY": "instructor-secret-key-for-the-fake-only"]

    struct ExpectedStudent: Decodable {
        var state: String
        var steps: [String: StepStatus]
    }

    /// A fake with the class's accounts and states, and an environment pointing the CLI at it.
    func withClass(_ body: (RunningFakeECR, [String: String], URL) async throws -> Void) async throws {
        let accounts = try AccountsFile.load(Self.classDirectory.appendingPathComponent("accounts.json"))
        var configuration = FakeECRConfiguration(accounts: accounts, authMode: .sigv4, defaultRegion: "ap-northeast-1")
        // The fixtures' histories are of April 2025: kept however old (labcheck reads them with --since), at AWS's 2 lookups/s.
        configuration.trail.retention = TrailRetention(maxAge: .infinity)
        let fake = try await FakeECRServer.start(configuration)
        let home = try temporaryDirectory()
        do {
            try await fake.loadState(StateDocument.load(Self.classDirectory.appendingPathComponent("state.json")))
            var environment = LabCheckBinary.environment(Self.instructor, home: home)
            environment["AWS_ENDPOINT_URL"] = fake.endpoint.absoluteString
            environment["AWS_REGION"] = "ap-northeast-1"
            try await body(fake, environment, home)
        } catch {
            Issue.record(error)
        }
        await fake.stop()
        try? FileManager.default.removeItem(at: home)
    }

    /// Student id -> step id -> status, read back through the class report's own decoder.
    func statuses(_ classJSON: URL) throws -> [String: [String: String]] {
        let result = try ClassJSON.read(from: classJSON)
        var statuses: [String: [String: String]] = [:]
        for student in result.students where student.result != nil || statuses[student.studentId] == nil {
            statuses[student.studentId] = Dictionary(uniqueKeysWithValues: (student.result?.steps ?? []).map { ($0.id, $0.status.rawValue) })
        }
        return statuses
    }

    @Test("grades all 30 students of fixtures/class with their expected results, within the API budget")
    func wholeClass() async throws {
        try await withClass { fake, environment, home in
            let output = home.appendingPathComponent("class")
            let run = try await LabCheckBinary.run(["grade", "--since", Self.since, "--pins", RepositoryFiles.fixturePins.path, "--roster", Self.classDirectory.appendingPathComponent("roster.csv").path,
                                                    "--output", output.path, "--jobs", "8", "--lang", "en"], environment: environment)
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("30 students, 30 graded, 0 errors"), "\(run.stdout)")
            let expected = try JSONDecoder().decode([String: ExpectedStudent].self,
                                                    from: Data(contentsOf: Self.classDirectory.appendingPathComponent("expected.json")))
            let seen = try statuses(output.appendingPathComponent("class.json"))
            #expect(seen.count == 30)
            for (student, expectation) in expected {
                #expect(seen[student] == expectation.steps.mapValues(\.rawValue), "\(student) (\(expectation.state))")
            }
            for name in ["class.csv", "class.json", "class.junit.xml", "class.md", "class.html"] {
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(name).path), "\(name)")
            }
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("students/s07/summary.json").path))
            // AssumeRole + GetCallerIdentity + DescribeRepositories + DescribePullThroughCacheRules + DescribeImages (<= 4) +
            // BatchGetImage: at most 8 live calls. The history adds at most 6 LookupEvents (one page each here: CreateRepository,
            // PutImage, CreatePullThroughCacheRule, DeleteRepository, DeletePullThroughCacheRule by EventName, the cache
            // repository by ResourceName), and only for a student whose build does not show live: the budget grew from 8 to 14.
            let byAccount = await fake.requestCountsByAccount()
            for number in 1...30 {
                let account = String(format: "1000000000%02d", number)
                let counts = byAccount[account] ?? [:]
                let lookups = counts.filter { $0.key.hasSuffix("LookupEvents") }.values.reduce(0, +)
                #expect(counts.values.reduce(0, +) - lookups <= 8, "student account \(account): \(counts)")
                #expect(lookups <= 6, "student account \(account): \(counts)")
            }
            // The students graded after cleanup (s15–s20, s30) get their grades from the history.
            let s15 = try SummaryJSON.read(from: output.appendingPathComponent("students/s15/summary.json"))
            #expect(s15.steps.allSatisfy { $0.source == .trail }, "\(s15.steps.map { "\($0.id): \(String(describing: $0.source))" })")
        }
    }

    @Test("under injected throttling (30%) and 500s (5%) every class.csv row is the clean run's or an error row, never another score")
    func faultsNeverChangeAScore() async throws {
        try await withClass { fake, environment, home in
            let roster = Self.classDirectory.appendingPathComponent("roster.csv").path
            func grade(_ name: String, extra: [String: String] = [:]) async throws -> [String: [String]] {
                let output = home.appendingPathComponent(name)
                let run = try await LabCheckBinary.run(["grade", "--since", Self.since, "--pins", RepositoryFiles.fixturePins.path, "--roster", roster, "--output", output.path, "--jobs", "8", "--lang", "en"],
                                                       environment: environment.merging(extra) { _, new in new })
                #expect([0, 3].contains(run.status), "\(run.stdout)\n\(run.stderr)")
                // class.csv's rows, as its writer makes them from the class report.
                let rows = ClassCSVReport().rows(try ClassJSON.read(from: output.appendingPathComponent("class.json")))
                return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0) })
            }
            let clean = try await grade("clean")
            #expect(clean.count == 30)
            #expect(clean.values.allSatisfy { $0[3] == "graded" })
            fake.setFaults(FaultPlan(seed: 20261201, rules: [
                .init(plane: .ecr, fault: .throttle, rate: 0.3),
                .init(plane: .sts, fault: .throttle, rate: 0.3),
                .init(fault: .serverError, rate: 0.05),
            ]))
            let faulted = try await grade("faulted")
            let injected = fake.injectedFaults.values.reduce(0, +)
            #expect(injected > 20, "faults injected: \(fake.injectedFaults)")
            #expect(faulted.count == 30)
            var errors = 0
            for (student, row) in faulted {
                if row[3] == "error" {
                    errors += 1
                    // earned, total, percentage (then error, evidence, warnings).
                    #expect(row[row.count - 6 ..< row.count - 3].allSatisfy { $0.isEmpty }, "an error row has no score: \(row)")
                } else {
                    #expect(row == clean[student], "\(student): \(row) vs clean \(clean[student] ?? [])")
                }
            }
            // Retries absorb most faults: the run still grades most of the class.
            #expect(errors < 15, "\(errors) error rows of 30")
            // With more attempts (AWS_MAX_ATTEMPTS, as the AWS CLI reads it) the faulted class grades as the clean one.
            // An attempt fails with p = 0.3 + 0.7 * 0.05 = 0.335 and a run makes about 150 calls; which calls draw
            // which faults depends on the order of the 8 jobs' requests, so the outcome is a chance, not a replay. At 8
            // attempts a call fails every one with 0.335^8 = 1.6e-4, about 2.5% that some call of the run does (it
            // happened in CI); at 20, the most labcheck accepts, 0.335^20 = 3e-10 per call. The extra attempts cost
            // time only for a call that has already failed 8 times.
            let patient = try await grade("patient", extra: ["AWS_MAX_ATTEMPTS": "20"])
            #expect(patient == clean, "\(patient.filter { clean[$0.key] != $0.value })")
        }
    }

    @Test("three shards merged give the same class report as one run")
    func shardsMerge() async throws {
        try await withClass { _, environment, home in
            let roster = Self.classDirectory.appendingPathComponent("roster.csv").path
            let whole = home.appendingPathComponent("whole")
            let run = try await LabCheckBinary.run(["grade", "--since", Self.since, "--pins", RepositoryFiles.fixturePins.path, "--roster", roster, "--output", whole.path], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            var shardDirectories: [String] = []
            for index in 1...3 {
                let directory = home.appendingPathComponent("shard-\(index)")
                shardDirectories.append(directory.path)
                var shardEnvironment = environment
                if index == 3 {  // the third shard as a Kubernetes Indexed Job would start it
                    shardEnvironment["JOB_COMPLETION_INDEX"] = "2"
                    shardEnvironment["JOB_COMPLETIONS"] = "3"
                }
                let arguments = ["grade", "--since", Self.since, "--pins", RepositoryFiles.fixturePins.path, "--roster", roster, "--output", directory.path] + (index == 3 ? [] : ["--shard", "\(index)/3"])
                let shard = try await LabCheckBinary.run(arguments, environment: shardEnvironment)
                #expect(shard.status == 0, "\(shard.stderr)")
                let shardStatuses = try statuses(directory.appendingPathComponent("class.json"))
                #expect(shardStatuses.count == 10)
            }
            let merged = home.appendingPathComponent("merged")
            let merge = try await LabCheckBinary.run(["merge"] + shardDirectories + ["--output", merged.path], environment: environment)
            #expect(merge.status == 0, "\(merge.stderr)")
            let wholeCSV = try String(contentsOf: whole.appendingPathComponent("class.csv"), encoding: .utf8)
            let mergedCSV = try String(contentsOf: merged.appendingPathComponent("class.csv"), encoding: .utf8)
            #expect(wholeCSV == mergedCSV)
            let wholeStatuses = try statuses(whole.appendingPathComponent("class.json"))
            let mergedStatuses = try statuses(merged.appendingPathComponent("class.json"))
            #expect(wholeStatuses == mergedStatuses)
            #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent("students/s30/summary.json").path))
        }
    }

    @Test("bad roster rows and an unassumable role become error rows; the rest are graded")
    func errorRows() async throws {
        try await withClass { _, environment, home in
            let roster = home.appendingPathComponent("roster.csv")
            try """
            student_id,name,account_id,role_arn,profile,region
            s01,Good,100000000001,arn:aws:iam::100000000001:role/LabCheckGrader,,ap-northeast-1
            bad1,Short account,12345,arn:aws:iam::12345:role/LabCheckGrader,,ap-northeast-1
            bad2,Both,100000000002,arn:aws:iam::100000000002:role/LabCheckGrader,someprofile,ap-northeast-1
            s01,Duplicate,100000000003,arn:aws:iam::100000000003:role/LabCheckGrader,,ap-northeast-1
            denied,No role,100000000004,arn:aws:iam::100000000004:role/NotAllowed,,ap-northeast-1
            s06,Good too,100000000006,arn:aws:iam::100000000006:role/LabCheckGrader,,ap-northeast-1

            """.write(to: roster, atomically: true, encoding: .utf8)
            let output = home.appendingPathComponent("out")
            let run = try await LabCheckBinary.run(["grade", "--since", Self.since, "--pins", RepositoryFiles.fixturePins.path, "--roster", roster.path, "--output", output.path, "--lang", "en"], environment: environment)
            #expect(run.status == 2, "\(run.stdout)\n\(run.stderr)")
            #expect(run.stdout.contains("line 3") && run.stdout.contains("not a 12-digit AWS account id"), "\(run.stdout)")
            #expect(run.stdout.contains("line 4") && run.stdout.contains("both role_arn and profile"))
            #expect(run.stdout.contains("line 5") && run.stdout.contains("duplicate student_id 's01' (first on line 2)"))
            #expect(run.stdout.contains("denied") && run.stdout.contains("AssumeRoleFailed") && run.stdout.contains("AccessDenied"))
            let seen = try statuses(output.appendingPathComponent("class.json"))
            #expect(seen["s01"]?.isEmpty == false)
            #expect(seen["s06"]?.isEmpty == false)
            let csv = try String(contentsOf: output.appendingPathComponent("class.csv"), encoding: .utf8)
            #expect(csv.contains("AssumeRoleFailed"))
            #expect(!csv.contains("instructor-secret"))
        }
    }

    @Test("a roster of 100,000 bad rows is refused at the bad-row limit with file:line, before grading anyone")
    func rosterOverTheLimits() async throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let roster = home.appendingPathComponent("roster.csv")
        var text = "student_id,name,account_id,role_arn\n"
        for number in 1...100_000 { text += "b\(number),Bad \(number),12x,arn:aws:iam::12x:role/R\n" }
        try text.write(to: roster, atomically: true, encoding: .utf8)
        let output = home.appendingPathComponent("out")
        let run = try await LabCheckBinary.run(["grade", "--roster", roster.path, "--output", output.path, "--region", "us-east-1"],
                                               environment: LabCheckBinary.environment(Self.instructor, home: home))
        #expect(run.status == 2, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("roster.csv:1002: more than 1000 rows cannot be used"), "\(run.stderr)")
        #expect(run.stderr.contains("line 2: account_id '12x' is not a 12-digit AWS account id"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path), "nothing graded, no reports written")
    }

    @Test("roster files that cannot be used exit 2 with file and line")
    func badRosterFile() async throws {
        let home = try temporaryDirectory()
        let roster = home.appendingPathComponent("roster.csv")
        try "student_id,account_id,role_arn,colour\ns1,111111111111,arn:aws:iam::111111111111:role/R,red\n".write(to: roster, atomically: true, encoding: .utf8)
        let run = try await LabCheckBinary.run(["grade", "--pins", RepositoryFiles.fixturePins.path, "--roster", roster.path, "--region", "us-east-1"],
                                               environment: LabCheckBinary.environment(Self.instructor, home: home))
        #expect(run.status == 2)
        #expect(run.stderr.contains("roster.csv:1: unknown column 'colour'"), "\(run.stderr)")
        try? FileManager.default.removeItem(at: home)
    }
}
