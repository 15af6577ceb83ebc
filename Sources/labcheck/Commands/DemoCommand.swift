import ArgumentParser
import AWSCore
import BuiltInLab
import Checks
import ECRWire
import FakeECR
import Foundation
import Logging

/// `labcheck demo`: the main job against an embedded fake ECR seeded with a fixture state, no AWS account
/// needed; the state and the fixture images' pins are built in (`BuiltInLab`), so it runs from any folder.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start an embedded fake ECR seeded with a fixture state, check it, print the summary and write the reports."
    )

    @OptionGroup var spec: SpecOptions
    @OptionGroup var grading: GradingOptions

    @Option(help: ArgumentHelp("The fake-ECR state to check (default: the built-in fixtures/states/halfway.json).", valueName: "file"))
    var state: String?

    @OptionGroup var upstreamImages: UpstreamImagesOptions

    /// The lab text's own example account and region.
    static let account = "539666729110"
    static let region = "ap-northeast-1"

    func run() async throws {
        let spec = try self.spec.load()
        let pins = try await self.pins(for: spec)
        let stateName = state ?? BuiltInLab.demoStateName
        let document = try StateDocument.parse(try stateData(), file: stateName)

        var quiet = Logger(label: "labcheck.demo.fake-ecr")
        quiet.logLevel = .critical
        let fake = try await FakeECRServer.start(FakeECRConfiguration(defaultAccountId: Self.account, defaultRegion: Self.region, logger: quiet))
        let http = AWSClient.makeHTTPClient()
        do {
            try await fake.loadState(document)
            let credentials = Credentials(accessKeyId: "AKIADEMODEMODEMODEMO", secretAccessKey: "demo-secret-not-used-by-the-fake", source: "demo")
            let clients = AccountClients.fixed(credentials, endpoint: fake.endpoint, region: Self.region, httpClient: http)
            let banner = grading.language == .ko
                ? "데모: \(fake.endpoint.absoluteString) 의 가짜 ECR (\(stateName)) 을 채점합니다\n"
                : "demo: grading the fake ECR at \(fake.endpoint.absoluteString) seeded from \(stateName)\n"
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

    /// `--pins`; else pinned now, offline, from `--upstream-images`; else the built-in pins of the fixture images.
    func pins(for spec: LabSpec) async throws -> UpstreamPins? {
        if self.spec.pins != nil { return try self.spec.loadPins(for: spec) }
        if upstreamImages.upstreamImages != nil {
            return try await UpstreamPinning.pin(spec, sources: try UpstreamPinning.layoutSources(in: upstreamImages.url))
        }
        return try PinsFile.decode(Data(BuiltInLab.demoPinsText.utf8), file: BuiltInLab.demoPinsName, labId: spec.id)
    }

    /// The state file's bytes, or the built-in state's.
    func stateData() throws -> Data {
        guard let state else { return Data(BuiltInLab.demoStateText.utf8) }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: state))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
            throw CLIError.badInput("\(state): no such file (give --state FILE, or leave it out for the built-in state)")
        }
    }
}
