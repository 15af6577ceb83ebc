import ArgumentParser
import AWSCore
import Checks
import Foundation

/// `labcheck doctor`: who am I, where do my calls go, and may I do each step of the lab ("why does my push fail?").
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show your identity, region and endpoints, and for each lab step the permissions it needs and whether you have them.",
        discussion: """
        The permissions are judged by IAM's policy simulator (iam:SimulatePrincipalPolicy) for your identity; for an \
        assumed role, for the role. Exit 0 when every step's permissions are granted, 1 when some are missing, \
        3 when they cannot be checked (no identity, or no permission to simulate). Nothing is graded.
        """
    )

    @OptionGroup var spec: SpecOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var language: LanguageOptions

    func run() async throws {
        let spec = try self.spec.load()
        let environment = ProcessInfo.processInfo.environment
        let http = AWSClient.makeHTTPClient(timeouts: AWSTimeouts(connect: connection.connectTimeout, request: connection.requestTimeout))
        let diagnosis: PermissionDiagnosis
        let account: AccountConnection
        do {
            account = try await AccountConnector.connect(connection, environment: environment, httpClient: http)
            let clients = account.clients
            let reader = AccountReader(ecr: clients.ecr, sts: clients.sts, iam: clients.iam)
            diagnosis = await PermissionDiagnosis.diagnose(spec: spec, reader: reader, region: clients.region)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        print(DoctorText(language: language.language).render(diagnosis, connection: account), terminator: "")
        if diagnosis.couldNotCheck { throw ExitStatus.couldNotEvaluate }
        throw diagnosis.missingActions.isEmpty ? ExitStatus.passed : ExitStatus.failed
    }
}
