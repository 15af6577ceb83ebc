import FakeECR
import FakeECRTesting
import Foundation
import LabCheckTestSupport
import Testing

/// Basic image scanning through the ECR API: StartImageScan, DescribeImageScanFindings (IN_PROGRESS
/// until the fake's clock passes the scan's duration, then the findings of the fixture table for the
/// packages of the image's layers), scan on push, the registry scanning configuration, ECR's errors,
/// seeded findings, and the AWS CLI's `start-image-scan`, `wait image-scan-complete`,
/// `describe-image-scan-findings` (skipped without the AWS CLI unless LABCHECK_REQUIRE_TOOLS=1).
@Suite("Image scanning", .serialized)
struct ImageScanningTests {
    static let image = ["imageTag": "v1"]

    /// A fake with the fixture table, repository `app` holding `app:v1` (apt 1.4.8 installed).
    static func withVulnerableImage(_ body: (TestFakeECR, String) async throws -> Void) async throws {
        try await TestFakeECR.with(try ImageLayers.configuration()) { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            let registry = try await RegistryClient.login(fake)
            let digest = try await registry.pushImage("app", tag: "v1", layers: [ImageLayers.vulnerableDebian])
            try await body(fake, digest)
        }
    }

    static func findings(_ answer: HTTPAnswer) -> [[String: Any]] {
        (answer.json["imageScanFindings"] as? [String: Any])?["findings"] as? [[String: Any]] ?? []
    }

    static func status(_ answer: HTTPAnswer) -> String? { (answer.json["imageScanStatus"] as? [String: Any])?["status"] as? String }

    @Test func aScanRunsThenReportsTheVulnerablePackage() async throws {
        try await Self.withVulnerableImage { fake, digest in
            expectECRError(
                try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "app", "imageId": Self.image]), "ScanNotFoundException",
                messageContains: "Image scan does not exist for the image with '{imageDigest:'null', imageTag:'v1'}' in the repository with name 'app'")
            let started = try await fake.ecr("StartImageScan", object: ["repositoryName": "app", "imageId": Self.image])
            #expect(Self.status(started) == "IN_PROGRESS", "\(started.text)")
            #expect((started.json["imageId"] as? [String: Any])?["imageDigest"] as? String == digest)
            let running = try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "app", "imageId": Self.image])
            #expect(Self.status(running) == "IN_PROGRESS" && Self.findings(running).isEmpty, "\(running.text)")
            #expect((running.json["imageScanFindings"] as? [String: Any])?["imageScanCompletedAt"] == nil)
            let describedRunning = try await fake.ecr("DescribeImages", object: ["repositoryName": "app"])
            let runningDetail = (describedRunning.json["imageDetails"] as? [[String: Any]])?.first
            #expect((runningDetail?["imageScanStatus"] as? [String: Any])?["status"] as? String == "IN_PROGRESS")
            #expect(runningDetail?["imageScanFindingsSummary"] == nil)

            fake.server.clock.advance(by: ImageLayers.scanDuration + 1)
            let done = try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "app", "imageId": ["imageDigest": digest]])
            #expect(Self.status(done) == "COMPLETE", "\(done.text)")
            #expect((done.json["imageScanStatus"] as? [String: Any])?["description"] as? String == "The scan was completed successfully.")
            let scan = try #require(done.json["imageScanFindings"] as? [String: Any])
            #expect(scan["findingSeverityCounts"] as? [String: Int] == ["CRITICAL": 1], "\(done.text)")
            #expect(scan["imageScanCompletedAt"] is Double && scan["vulnerabilitySourceUpdatedAt"] is Double)
            let finding = try #require(Self.findings(done).first)
            #expect(finding["name"] as? String == "CVE-2019-3462" && finding["severity"] as? String == "CRITICAL")
            #expect(finding["uri"] as? String == "https://security-tracker.debian.org/tracker/CVE-2019-3462")
            let attributes = (finding["attributes"] as? [[String: String]] ?? []).map { "\($0["key"] ?? "")=\($0["value"] ?? "")" }
            #expect(attributes == ["package_version=1.4.8", "package_name=apt", "CVSS2_VECTOR=AV:N/AC:M/Au:N/C:C/I:C/A:C", "CVSS2_SCORE=9.3"])

            let described = try await fake.ecr("DescribeImages", object: ["repositoryName": "app"])
            let detail = try #require((described.json["imageDetails"] as? [[String: Any]])?.first)
            #expect((detail["imageScanStatus"] as? [String: Any])?["status"] as? String == "COMPLETE")
            #expect((detail["imageScanFindingsSummary"] as? [String: Any])?["findingSeverityCounts"] as? [String: Int] == ["CRITICAL": 1])
        }
    }

    @Test func oneBasicScanPerImagePerDay() async throws {
        try await Self.withVulnerableImage { fake, _ in
            _ = try await fake.ecr("StartImageScan", object: ["repositoryName": "app", "imageId": Self.image])
            let message = "The scan quota per image has been exceeded. Wait and try again."
            // While it runs, and after it completed, within 24 hours.
            expectECRError(try await fake.ecr("StartImageScan", object: ["repositoryName": "app", "imageId": Self.image]), "LimitExceededException", messageContains: message)
            fake.server.clock.advance(by: 3600)
            expectECRError(try await fake.ecr("StartImageScan", object: ["repositoryName": "app", "imageId": Self.image]), "LimitExceededException", messageContains: message)
            fake.server.clock.advance(by: 24 * 3600)
            let again = try await fake.ecr("StartImageScan", object: ["repositoryName": "app", "imageId": Self.image])
            #expect(Self.status(again) == "IN_PROGRESS", "\(again.text)")
        }
    }

    @Test func findingsArePaged() async throws {
        try await TestFakeECR.with(try ImageLayers.configuration()) { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            let registry = try await RegistryClient.login(fake)
            let status = Data("""
                Package: apt
                Status: install ok installed
                Version: 1.4.8

                Package: libc6
                Status: install ok installed
                Source: glibc
                Version: 2.35-1

                Package: zlib1g
                Status: install ok installed
                Source: zlib (1:1.2.11.dfsg-2)
                Version: 1:1.2.11.dfsg-2
                """.utf8)
            _ = try await registry.pushImage("app", tag: "v1", layers: [ImageLayers.gzip(ImageLayers.tar([("var/lib/dpkg/status", status)]))])
            _ = try await fake.ecr("StartImageScan", object: ["repositoryName": "app", "imageId": Self.image])
            fake.server.clock.advance(by: ImageLayers.scanDuration + 1)
            var names: [String] = []
            var token: String?
            var pages = 0
            repeat {
                var request: [String: Any] = ["repositoryName": "app", "imageId": Self.image, "maxResults": 1]
                if let token { request["nextToken"] = token }
                let page = try await fake.ecr("DescribeImageScanFindings", object: request)
                names += Self.findings(page).compactMap { $0["name"] as? String }
                token = page.json["nextToken"] as? String
                pages += 1
            } while token != nil && pages < 10
            // In the table's order; libc6 and zlib1g match through their source packages.
            #expect(names == ["CVE-2019-3462", "CVE-2023-4911", "CVE-2022-37434"], "\(names)")
            #expect(pages == 3)
            expectECRError(
                try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "app", "imageId": Self.image, "maxResults": 0]),
                "InvalidParameterException")
        }
    }

    @Test func anIndexOrAnArtifactIsNoImageToScan() async throws {
        try await Self.withVulnerableImage { fake, digest in
            let registry = try await RegistryClient.login(fake)
            let index = #"{"schemaVersion":2,"mediaType":"\#(ociIndexType)","manifests":[{"mediaType":"\#(ociManifestType)","digest":"\#(digest)","size":1}]}"#
            let put = try await registry.send("PUT", "/v2/app/manifests/multi", headers: [("Content-Type", ociIndexType)], body: Data(index.utf8))
            #expect(put.status == 201, "\(put.text)")
            expectECRError(
                try await fake.ecr("StartImageScan", object: ["repositoryName": "app", "imageId": ["imageTag": "multi"]]), "UnsupportedImageTypeException",
                messageContains: "The image is of a type that cannot be scanned.")
            expectECRError(try await fake.ecr("StartImageScan", object: ["repositoryName": "app", "imageId": ["imageTag": "absent"]]), "ImageNotFoundException")
            expectECRError(try await fake.ecr("StartImageScan", object: ["repositoryName": "nope", "imageId": Self.image]), "RepositoryNotFoundException")
        }
    }

    @Test func whiteoutsHideLowerPackagesAndCorruptLayersFailTheScan() async throws {
        try await TestFakeECR.with(try ImageLayers.configuration()) { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            let registry = try await RegistryClient.login(fake)
            // The upper layer deletes /var/lib/dpkg: no package database is left.
            let whiteout = ImageLayers.gzip(ImageLayers.tar([("var/lib/.wh.dpkg", Data())]))
            _ = try await registry.pushImage("app", tag: "gone", layers: [ImageLayers.vulnerableDebian, whiteout])
            // The upper layer replaces the status file with a fixed apt.
            let upgraded = ImageLayers.gzip(ImageLayers.tar([("var/lib/dpkg/status", ImageLayers.dpkgStatus([("apt", "1.4.9")]))]))
            _ = try await registry.pushImage("app", tag: "fixed", layers: [ImageLayers.vulnerableDebian, upgraded])
            var corrupt = ImageLayers.vulnerableDebian
            corrupt[corrupt.count - 6] ^= 0xff
            _ = try await registry.pushImage("app", tag: "corrupt", layers: [corrupt])
            for tag in ["gone", "fixed", "corrupt"] {
                _ = try await fake.ecr("StartImageScan", object: ["repositoryName": "app", "imageId": ["imageTag": tag]])
            }
            fake.server.clock.advance(by: ImageLayers.scanDuration + 1)
            let gone = try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "app", "imageId": ["imageTag": "gone"]])
            #expect(Self.status(gone) == "FAILED", "\(gone.text)")
            let goneReason = (gone.json["imageScanStatus"] as? [String: Any])?["description"] as? String
            #expect(goneReason == "UnsupportedImageError: The operating system and/or package manager are not supported.", "\(gone.text)")
            let fixed = try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "app", "imageId": ["imageTag": "fixed"]])
            #expect(Self.status(fixed) == "COMPLETE" && Self.findings(fixed).isEmpty, "\(fixed.text)")
            let failed = try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "app", "imageId": ["imageTag": "corrupt"]])
            #expect(Self.status(failed) == "FAILED", "\(failed.text)")
            let reason = (failed.json["imageScanStatus"] as? [String: Any])?["description"] as? String
            #expect(reason?.contains("corrupt gzip data") == true, "\(failed.text)")
        }
    }

    @Test func scanOnPushAndTheRegistryScanningConfiguration() async throws {
        try await TestFakeECR.with(try ImageLayers.configuration()) { fake in
            let initial = try await fake.ecr("GetRegistryScanningConfiguration")
            let defaults = initial.json["scanningConfiguration"] as? [String: Any]
            #expect(defaults?["scanType"] as? String == "BASIC" && (defaults?["rules"] as? [Any])?.isEmpty == true, "\(initial.text)")
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "own", "imageScanningConfiguration": ["scanOnPush": true]])
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "team/app"])
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "other"])
            let rules: [String: Any] = [
                "scanType": "BASIC", "rules": [["scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [["filter": "team/*", "filterType": "WILDCARD"]]]],
            ]
            let put = try await fake.ecr("PutRegistryScanningConfiguration", object: rules)
            #expect((put.json["registryScanningConfiguration"] as? [String: Any])?["scanType"] as? String == "BASIC", "\(put.text)")
            let batch = try await fake.ecr("BatchGetRepositoryScanningConfiguration", object: ["repositoryNames": ["team/app", "other", "own", "missing"]])
            let configurations = batch.json["scanningConfigurations"] as? [[String: Any]] ?? []
            #expect(configurations.map { $0["scanFrequency"] as? String } == ["SCAN_ON_PUSH", "MANUAL", "SCAN_ON_PUSH"], "\(batch.text)")
            #expect((configurations.first?["appliedScanFilters"] as? [[String: String]])?.first?["filter"] == "team/*")
            #expect((batch.json["failures"] as? [[String: Any]])?.first?["failureCode"] as? String == "REPOSITORY_NOT_FOUND")

            let registry = try await RegistryClient.login(fake)
            for name in ["own", "team/app", "other"] {
                _ = try await registry.pushImage(name, tag: "v1", layers: [ImageLayers.vulnerableDebian])
            }
            fake.server.clock.advance(by: ImageLayers.scanDuration + 1)
            for name in ["own", "team/app"] {
                let answer = try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": name, "imageId": Self.image])
                #expect(Self.status(answer) == "COMPLETE" && Self.findings(answer).count == 1, "\(name): \(answer.text)")
            }
            expectECRError(try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "other", "imageId": Self.image]), "ScanNotFoundException")
            // A scan on push counts against the day's one scan.
            expectECRError(try await fake.ecr("StartImageScan", object: ["repositoryName": "own", "imageId": Self.image]), "LimitExceededException")

            for (body, field) in [
                (["scanType": "BASIC", "rules": [["scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [["filter": "*", "filterType": "WILDCARD"]]]]], "rules.1.scanFrequency"),
                (["scanType": "FAST"], "scanType"),
                (["rules": [["scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [["filter": "UPPER", "filterType": "WILDCARD"]]]]], "rules.1.repositoryFilters.1.filter"),
            ] as [([String: Any], String)] {
                expectECRError(try await fake.ecr("PutRegistryScanningConfiguration", object: body), "InvalidParameterException", messageContains: "'\(field)'")
            }
            let enhanced = try await fake.ecr("PutRegistryScanningConfiguration", object: [
                "scanType": "ENHANCED", "rules": [["scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [["filter": "*", "filterType": "WILDCARD"]]]],
            ])
            #expect(enhanced.status == 200, "\(enhanced.text)")
        }
    }

    /// With `--data-dir` a scan reads the layer from its blob file, and the scan and the registry
    /// scanning configuration survive a restart.
    @Test func scansSurviveARestartWithADataDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scan-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = try ImageLayers.configuration()
        configuration.dataDirectory = directory
        configuration.scanDuration = 0
        try await TestFakeECR.with(configuration) { fake in
            _ = try await fake.ecr("CreateRepository", object: ["repositoryName": "app"])
            _ = try await fake.ecr("PutRegistryScanningConfiguration", object: [
                "rules": [["scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [["filter": "app", "filterType": "WILDCARD"]]]],
            ])
            let registry = try await RegistryClient.login(fake)
            _ = try await registry.pushImage("app", tag: "v1", layers: [ImageLayers.vulnerableDebian])
            let answer = try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "app", "imageId": Self.image])
            #expect(Self.status(answer) == "COMPLETE" && Self.findings(answer).count == 1, "\(answer.text)")
        }
        try await TestFakeECR.with(configuration) { fake in
            let answer = try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "app", "imageId": Self.image])
            #expect(Self.findings(answer).first?["name"] as? String == "CVE-2019-3462", "\(answer.text)")
            let rules = try await fake.ecr("GetRegistryScanningConfiguration")
            #expect(((rules.json["scanningConfiguration"] as? [String: Any])?["rules"] as? [Any])?.count == 1, "\(rules.text)")
        }
    }

    @Test func theStateDocumentSeedsFindings() async throws {
        try await TestFakeECR.with { fake in
            let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:\#(String(repeating: "a", count: 64))","size":2},"layers":[]}"#
            let digest = sha256(Data(manifest.utf8))
            let document: [String: Any] = [
                "schemaVersion": 1,
                "registries": [[
                    "repositories": [[
                        "repositoryName": "seeded",
                        "images": [[
                            "imageDigest": digest, "imageTags": ["v1"], "imageManifest": manifest,
                            "imageScanFindings": [
                                "imageScanCompletedAt": "2026-11-01T10:00:00Z",
                                "findings": [["name": "CVE-2024-0001", "severity": "HIGH", "uri": "https://example.test/CVE-2024-0001",
                                              "attributes": [["key": "package_name", "value": "openssl"], ["key": "package_version", "value": "3.0.1"]]]],
                            ],
                        ]],
                    ]],
                    "registryScanningConfiguration": ["scanType": "BASIC", "rules": [["scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [["filter": "*", "filterType": "WILDCARD"]]]]],
                ]],
            ]
            let data = try JSONSerialization.data(withJSONObject: document)
            try await fake.server.loadState(try StateDocument.parse(data, file: "seed.json"))
            let answer = try await fake.ecr("DescribeImageScanFindings", object: ["repositoryName": "seeded", "imageId": Self.image])
            #expect(Self.status(answer) == "COMPLETE", "\(answer.text)")
            #expect(Self.findings(answer).first?["name"] as? String == "CVE-2024-0001")
            let configuration = try await fake.ecr("GetRegistryScanningConfiguration")
            #expect(((configuration.json["scanningConfiguration"] as? [String: Any])?["rules"] as? [Any])?.count == 1, "\(configuration.text)")

            var bad = document
            var registries = bad["registries"] as? [[String: Any]] ?? []
            registries[0]["registryScanningConfiguration"] = ["scanType": "BASIC", "rules": [["scanFrequency": "DAILY", "repositoryFilters": []]]]
            bad["registries"] = registries
            let badData = try JSONSerialization.data(withJSONObject: bad)
            let error = #expect(throws: InputFileError.self) {
                try StateDocument.states(from: badData, file: "seed.json", defaults: RegistryKey(accountId: TestFakeECR.accountId, region: TestFakeECR.region))
            }
            #expect(error?.description.contains("seed.json: at $.registries[0].registryScanningConfiguration") == true, "\(String(describing: error))")
        }
    }

    static var realToolsEnabled: Bool {
        ["aws", "skopeo", "umoci", "tar"].allSatisfy(ExternalTool.available) || ExternalTool.required
    }

    /// Layers as real tools write them: GNU tar (pax format, directory entries) compressed by umoci,
    /// and the whiteout `umoci repack` writes for a deleted file; pushed with skopeo, scanned with
    /// the AWS CLI.
    @Test(.enabled(if: ImageScanningTests.realToolsEnabled, "aws, skopeo, umoci or tar is not installed"))
    func imagesUmociBuiltAndSkopeoPushedAreScanned() async throws {
        for tool in ["aws", "skopeo", "umoci", "tar"] { try ExternalTool.require(tool) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("scan-umoci-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let root = work.appendingPathComponent("root/var/lib/dpkg")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try ImageLayers.dpkgStatus([("base-files", "9.9"), ("apt", "1.4.8")]).write(to: root.appendingPathComponent("status"))
        let layout = work.appendingPathComponent("layout").path
        func run(_ arguments: [String]) async throws {
            let result = try await BoundedProcess.run(arguments, timeout: 300)
            try #require(result.status == 0, "\(arguments.joined(separator: " ")): \(result.summary)")
        }
        try await run(["tar", "--create", "--file", work.appendingPathComponent("layer.tar").path, "--directory", work.appendingPathComponent("root").path, "--format=posix", "var"])
        try await run(["umoci", "init", "--layout", layout])
        try await run(["umoci", "new", "--image", layout + ":debian"])
        try await run(["umoci", "raw", "add-layer", "--image", layout + ":debian", work.appendingPathComponent("layer.tar").path])
        try await run(["umoci", "config", "--image", layout + ":debian", "--os", "linux", "--architecture", "amd64"])
        // A second image: the same layer, then one whose whiteout deletes the status file.
        let bundle = work.appendingPathComponent("bundle")
        try await run(["umoci", "unpack", "--rootless", "--image", layout + ":debian", bundle.path])
        try FileManager.default.removeItem(at: bundle.appendingPathComponent("rootfs/var/lib/dpkg/status"))
        try await run(["umoci", "repack", "--image", layout + ":deleted", bundle.path])

        try await TestFakeECR.with(try ImageLayers.configuration()) { fake in
            let cli = TrailAWSCLITests.Lab(fake: fake)
            try await cli.aws(["ecr", "create-repository", "--repository-name", "app"])
            let password = try await cli.aws(["ecr", "get-login-password"]).trimmingCharacters(in: .whitespacesAndNewlines)
            for tag in ["debian", "deleted"] {
                try await cli.skopeo([
                    "copy", "--dest-creds", "AWS:\(password)", "--dest-tls-verify=false", "oci:\(layout):\(tag)", "docker://127.0.0.1:\(fake.server.port)/app:\(tag)",
                ])
                try await cli.aws(["ecr", "start-image-scan", "--repository-name", "app", "--image-id", "imageTag=\(tag)"])
            }
            fake.server.clock.advance(by: ImageLayers.scanDuration + 1)
            let found = try await cli.aws([
                "ecr", "describe-image-scan-findings", "--repository-name", "app", "--image-id", "imageTag=debian", "--query",
                "imageScanFindings.findings[].[name, attributes[?key=='package_version'].value | [0]]", "--output", "text",
            ])
            #expect(found.trimmingCharacters(in: .whitespacesAndNewlines) == "CVE-2019-3462\t1.4.8", "\(found)")
            let deleted = try await cli.aws([
                "ecr", "describe-image-scan-findings", "--repository-name", "app", "--image-id", "imageTag=deleted", "--query", "imageScanStatus.status",
                "--output", "text",
            ])
            #expect(deleted.trimmingCharacters(in: .whitespacesAndNewlines) == "FAILED")
            // The waiter stops at FAILED (as it would poll an UNSUPPORTED_IMAGE scan for 5 minutes).
            let wait = try await BoundedProcess.run(
                ["aws", "ecr", "wait", "image-scan-complete", "--repository-name", "app", "--image-id", "imageTag=deleted"], environment: cli.environment(),
                timeout: 120)
            #expect(wait.status != 0 && wait.errors.contains("FAILED"), "\(wait.summary)")
        }
    }

    @Test(.enabled(if: ExternalTool.available("aws") || ExternalTool.required, "the AWS CLI is not installed (pip install awscli)"))
    func theAWSCLIScansWaitsAndDescribes() async throws {
        try ExternalTool.require("aws")
        try await Self.withVulnerableImage { fake, digest in
            let cli = TrailAWSCLITests.Lab(fake: fake)
            let started = try await cli.aws(["ecr", "start-image-scan", "--repository-name", "app", "--image-id", "imageTag=v1", "--query", "imageScanStatus.status", "--output", "text"])
            #expect(started.trimmingCharacters(in: .whitespacesAndNewlines) == "IN_PROGRESS")
            let running = try await cli.aws(["ecr", "describe-image-scan-findings", "--repository-name", "app", "--image-id", "imageTag=v1", "--query", "imageScanStatus.status", "--output", "text"])
            #expect(running.trimmingCharacters(in: .whitespacesAndNewlines) == "IN_PROGRESS")
            // The waiter polls DescribeImageScanFindings (every 5 s) until imageScanStatus.status is
            // COMPLETE; the clock, not the wall, decides when the scan completes.
            fake.server.clock.advance(by: ImageLayers.scanDuration + 1)
            try await cli.aws(["ecr", "wait", "image-scan-complete", "--repository-name", "app", "--image-id", "imageTag=v1"])
            let output = try await cli.aws(["ecr", "describe-image-scan-findings", "--repository-name", "app", "--image-id", "imageDigest=\(digest)", "--output", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
            let scan = try #require(object["imageScanFindings"] as? [String: Any], "\(output)")
            #expect((scan["findings"] as? [[String: Any]])?.first?["name"] as? String == "CVE-2019-3462", "\(output)")
            #expect(scan["findingSeverityCounts"] as? [String: Int] == ["CRITICAL": 1], "\(output)")
            let summary = try await cli.aws([
                "ecr", "describe-images", "--repository-name", "app", "--query", "imageDetails[0].imageScanFindingsSummary.findingSeverityCounts.CRITICAL",
                "--output", "text",
            ])
            #expect(summary.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
            let configuration = try await cli.aws(["ecr", "get-registry-scanning-configuration", "--query", "scanningConfiguration.scanType", "--output", "text"])
            #expect(configuration.trimmingCharacters(in: .whitespacesAndNewlines) == "BASIC")
        }
    }
}

/// `fake-ecr serve --vulnerabilities FILE --scan-duration SECONDS` as its users start it.
@Suite("Image scanning: fake-ecr's options")
struct ImageScanningOptionTests {
    @Test(.enabled(if: BuiltProduct.enabled("fake-ecr"), "the fake-ecr product is not built"))
    func theTableLoadsAndABadOneStopsTheServerNamingIt() async throws {
        let server = try FakeECRProcess(arguments: ["--port", "0", "--vulnerabilities", ImageLayers.vulnerabilityTable.path, "--scan-duration", "0"])
        try await server.start()
        server.terminate()

        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-table-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: bad) }
        try Data("vulnerabilities:\n  - name: CVE-1\n    ecosystem: dpkg\n    package: apt\n    severity: HIGH\n".utf8).write(to: bad)
        let binary = try BuiltProduct.require("fake-ecr")
        let result = try await BoundedProcess.run([binary.path, "serve", "--port", "0", "--vulnerabilities", bad.path], timeout: 60)
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.errors.contains("\(bad.path): at $.vulnerabilities[0]: expected 'introduced', 'fixed' or both"), "\(result.summary)")
        let negative = try await BoundedProcess.run([binary.path, "serve", "--scan-duration", "-1"], timeout: 60)
        #expect(negative.status != 0 && negative.errors.contains("--scan-duration"), "\(negative.summary)")
    }
}
