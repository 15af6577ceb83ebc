import ArgumentParser
import AWSCore
import Checks
import Foundation

/// `labcheck check`: a student's self-check against their own account.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the lab's steps against your AWS account (or any ECR endpoint) and write the reports.",
        discussion: "Credentials, region and endpoints are found as the AWS CLI finds them (environment, ~/.aws files, EC2 instance role)."
    )

    @OptionGroup var spec: SpecOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var grading: GradingOptions
    @OptionGroup var watch: WatchOptions
    @OptionGroup var policy: PolicyOptions

    func run() async throws {
        let spec = try self.spec.load()
        let pins = try self.spec.loadPins(for: spec)
        let policy = try self.policy.load(for: spec)
        let environment = ProcessInfo.processInfo.environment
        let http = AWSClient.makeHTTPClient(timeouts: AWSTimeouts(connect: connection.connectTimeout, request: connection.requestTimeout))
        let result: LabResult
        do {
            let account = try await AccountConnector.connect(connection, environment: environment, httpClient: http)
            let runner = CheckRunner(spec: spec, pins: pins, grading: grading, policy: policy)
            if watch.watch {
                guard let last = try await WatchLoop(runner: runner, interval: watch.interval).run(account.clients) else {
                    try? await http.shutdown()
                    throw ExitStatus.couldNotEvaluate
                }
                result = last
            } else {
                result = try await runner.run(account.clients)
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        throw ExitStatus.of(result, passScore: grading.passScore ?? policy?.passScore)
    }
}
