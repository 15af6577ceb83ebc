import Checks
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// `labcheck pin` and grading with and without pins, through the built binary.
@Suite("labcheck pin and content checks", .serialized)
struct PinTests {
    static let credentials = ["AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]
    static let stand_ins = [
        "--upstream", "public.ecr.aws=oci:fixtures/upstream/public.ecr.aws",
        "--upstream", "registry.k8s.io=oci:fixtures/upstream/registry.k8s.io",
    ]

    @Test("pin from the fixture OCI layouts writes the committed fixture pins (but the date)")
    func pinWritesTheFixturePins() async throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let output = home.appendingPathComponent("pins.json")
        let run = try await LabCheckBinary.run(["pin"] + Self.stand_ins + ["--output", output.path], environment: LabCheckBinary.environment(home: home))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("public.ecr.aws/nginx/nginx:1.27 sha256:3d9e6645"), "\(run.stdout)")
        var written = try PinsFile.read(output, labId: "ecr-lab")
        let committed = try PinsFile.read(RepositoryFiles.fixturePins, labId: "ecr-lab")
        written.pinnedAt = committed.pinnedAt
        #expect(written == committed)
        #expect(written.images.count == 3)
    }

    @Test("check with pins: content verified; without: graded by tag, 'content not verified' in text, JSON, JUnit and Markdown")
    func contentShownInEveryFormat() async throws {
        try await TestFakeECR.with { fake in
            let home = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            try await fake.load(stateAt: RepositoryFiles.state("complete"))
            var environment = LabCheckBinary.environment(Self.credentials, home: home)
            environment["AWS_ENDPOINT_URL"] = fake.endpoint.absoluteString
            environment["AWS_REGION"] = TestFakeECR.region
            let pinned = home.appendingPathComponent("pinned").path
            let verified = try await LabCheckBinary.run(
                ["check", "--phase", "build", "--lang", "en", "--pins", RepositoryFiles.fixturePins.path, "--output", pinned], environment: environment)
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            #expect(verified.stdout.contains("content verified (public.ecr.aws/nginx/nginx:1.27): manifest digest is the upstream's linux/amd64 manifest"),
                    "\(verified.stdout)")
            #expect(!verified.stdout.contains("not verified"))

            let unpinned = home.appendingPathComponent("unpinned")
            let byTag = try await LabCheckBinary.run(
                ["check", "--phase", "build", "--lang", "en", "--output", unpinned.path], environment: environment)
            #expect(byTag.status == 0, "\(byTag.stdout)\(byTag.stderr)")
            let notVerified = "content not verified: no pins for public.ecr.aws/nginx/nginx:1.27, graded by tag only"
            #expect(byTag.stdout.contains(notVerified), "\(byTag.stdout)")
            let markdown = try String(contentsOf: unpinned.appendingPathComponent("summary.md"), encoding: .utf8)
            #expect(markdown.contains(notVerified))
            let junit = try String(contentsOf: unpinned.appendingPathComponent("junit.xml"), encoding: .utf8)
            #expect(junit.contains(#"name="step.image-nginx.content" value="not verified""#), "\(junit)")
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: unpinned.appendingPathComponent("summary.json"))) as? [String: Any]
            let steps = summary?["steps"] as? [[String: Any]] ?? []
            let nginx = try #require(steps.first { $0["id"] as? String == "image-nginx" })
            let content = try #require(nginx["content"] as? [String: Any])
            #expect(content["verified"] as? Bool == false)
            #expect(content["upstream"] as? String == "public.ecr.aws/nginx/nginx:1.27")
        }
    }

    @Test("a bad pins file exits 2 naming the file and what is wrong")
    func badPins() async throws {
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let pins = home.appendingPathComponent("bad.pins.json")
        try Data(#"{"schemaVersion":1,"labId":"other-lab","pinnedAt":"2026-01-01T00:00:00Z","images":{}}"#.utf8).write(to: pins)
        let run = try await LabCheckBinary.run(["check", "--pins", pins.path, "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:1"],
                                               environment: LabCheckBinary.environment(Self.credentials, home: home))
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("\(pins.path): labId: the pins are for lab 'other-lab'"), "\(run.stderr)")
    }
}
