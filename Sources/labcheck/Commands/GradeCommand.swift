import ArgumentParser
import AWSCore
import Checks
import Foundation
import Reports

/// `labcheck grade`: every student of a roster, concurrently, into one class report.
struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a whole class from a roster (assume a role in, or use a profile for, each student's account).",
        discussion: """
        Writes <output>/class.csv, class.json, class.junit.xml, class.md, class.html and, per student, \
        <output>/students/<student_id>/ (reports and evidence ledger; a later run adds to what earlier runs saw). \
        Exit codes: 0 every row graded, 2 bad roster file or bad rows (the other students are still graded), \
        3 some students could not be evaluated (their error rows say why).
        """
    )

    @OptionGroup var spec: SpecOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("The class roster (CSV with a header: student_id,name,account_id,role_arn|profile,…).", valueName: "file"))
    var roster: String

    @Option(help: "Students graded at the same time.")
    var jobs: Int = 8

    @Option(help: ArgumentHelp("Grade every N-th roster row starting with the K-th (K in 1...N); also from JOB_COMPLETION_INDEX/JOB_COMPLETIONS.", valueName: "K/N"))
    var shard: Shard?

    @OptionGroup var phase: PhaseOptions
    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var history: HistoryOptions
    @OptionGroup var policy: PolicyOptions

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 256, found \(jobs)") }
    }

    func run() async throws {
        let spec = try self.spec.load()
        let pins = try self.spec.loadPins(for: spec)
        let environment = ProcessInfo.processInfo.environment
        let language = self.language.language
        let policy = try self.policy.load(for: spec)
        var roster = try RosterLoader.load(contentsOf: URL(fileURLWithPath: self.roster))
        try policy?.checkStudents(Set(roster.entries.map(\.studentId) + roster.rowErrors.compactMap(\.studentId)))
        let shard = try self.shard ?? Shard.fromEnvironment(environment) ?? .whole
        roster = roster.shard(index: shard.index - 1, of: shard.count)

        let timeouts = AWSTimeouts(connect: connection.connectTimeout, request: connection.requestTimeout)
        let http = AWSClient.makeHTTPClient(timeouts: timeouts)
        let classResult: ClassResult
        do {
            let instructor = try await AccountConnector.connect(connection, environment: environment, httpClient: http)
            let connector = StudentConnector(
                httpClient: http, environment: environment, config: instructor.config, baseCredentials: instructor.credentialProvider,
                defaultRegion: instructor.region.name, endpointOption: connection.endpointURL, timeouts: timeouts,
                retryPolicy: instructor.retryPolicy)
            let outputURL = output.outputURL
            let grader = ClassGrader(spec: spec, pins: pins, phase: phase.phase, output: outputURL, jobs: jobs, connector: connector, language: language,
                                      history: history.window, policy: policy)
            let total = roster.entries.count + roster.rowErrors.count
            let progress = ProgressReporter(total: total, isTTY: isatty(STDERR_FILENO) == 1)
            if shard.count > 1 { FileHandle.standardError.write(Data("shard \(shard): \(total) roster rows\n".utf8)) }
            classResult = await grader.grade(roster, progress: progress)
            let written = try ClassReportWriter(language: language).write(classResult, to: outputURL)
            print(ClassSummary.render(classResult, language: language))
            FileHandle.standardError.write(Data("class report: \(written.map(\.lastPathComponent).joined(separator: ", ")) in \(output.output)\n".utf8))
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        throw ClassSummary.exitStatus(classResult)
    }
}
