import ArgumentParser
import AWSCore
import Checks
import ECRWire
import FakeECR
import Foundation
import Logging

/// `labcheck demo`: the main job against an embedded fake ECR seeded from fixtures/, no AWS account needed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start an embedded fake ECR seeded with a fixture state, check it, print the summary and write the reports."
    )

    @OptionGroup var spec: SpecOptions
    @OptionGroup var grading: GradingOptions

    @Option(help: ArgumentHelp("The fake-ECR state to check.", valueName: "file"))
    var state: String = "fixtures/states/halfway.json"

    @OptionGroup var upstreamImages: UpstreamImagesOptions

    /// The lab text's own example account and region.
    static let account = "539666729110"
    static let region = "ap-northeast-1"

    func run() async throws {
        let spec = try self.spec.load()
        // The demo's upstream images are the fixture ones: pinned from their OCI layouts now, offline.
        let pins = try await self.spec.pins != nil ? self.spec.loadPins(for: spec)
            : UpstreamPinning.pin(spec, sources: try UpstreamPinning.layoutSources(in: upstreamImages.url))
        let stateURL = URL(fileURLWithPath: state)
        let document: StateDocument
        do {
            document = try StateDocument.parse(try Data(contentsOf: stateURL), file: state)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
            throw CLIError.badInput("\(state): no such file (run from the repository root, or give --state FILE)")
        }

        var quiet = Logger(label: "labcheck.demo.fake-ecr")
        quiet.logLevel = .critical
        let fake = try await FakeECRServer.start(FakeECRConfiguration(defaultAccountId: Self.account, defaultRegion: Self.region, logger: quiet))
        let http = AWSClient.makeHTTPClient()
        do {
            try await fake.loadState(document)
            let credentials = Credentials(accessKeyId: "AKIADEMODEMODEMODEMO", secretAccessKey: "demo-secret-not-used-by-the-fake", source: "demo")
            let clients = AccountClients.fixed(credentials, endpoint: fake.endpoint, region: Self.region, httpClient: http)
            let banner = grading.language == .ko
                ? "데모: \(fake.endpoint.absoluteString) 의 가짜 ECR (\(state)) 을 채점합니다\n"
                : "demo: grading the fake ECR at \(fake.endpoint.absoluteString) seeded from \(state)\n"
            FileHandle.standardError.write(Data(banner.utf8))
            _ = try await CheckRunner(spec: spec, pins: pins, grading: grading, freshLedger: true).run(clients)
        } catch {
            try? await http.shutdown()
            await fake.stop()
            throw error
        }
        try await http.shutdown()
        await fake.stop()
    }
}
