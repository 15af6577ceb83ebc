import ArgumentParser
import Foundation

@main
struct LabCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labcheck",
        abstract: "Grades the AWS Elastic Container Registry lab: per-step checks against ECR, scored, as JUnit XML and a summary.",
        discussion: """
        Exit codes: 0 all graded steps passed (or --pass-score reached), 1 some failed, \
        2 bad usage or bad input files, 3 could not evaluate (network, credentials).
        """,
        version: VersionText.description,
        subcommands: [
            CheckCommand.self, GradeCommand.self, ExplainCommand.self, MergeCommand.self, ListCommand.self, DemoCommand.self, VerifyLabCommand.self,
            PinCommand.self, DoctorCommand.self,
        ]
    )

    /// Runs the command, mapping errors to the exit codes of DESIGN.md: usage and input errors exit 2
    /// (ArgumentParser's own default would be 64), `CLIError`s carry their code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("labcheck: \(error.message)\n".utf8))
            Self.exit(withError: error.exitCode)
        } catch let error as any BadInputError {
            FileHandle.standardError.write(Data("labcheck: \(error.description)\n".utf8))
            Self.exit(withError: ExitStatus.badInput)
        } catch let code as ExitCode {
            Self.exit(withError: code)
        } catch {
            let code = exitCode(for: error)
            if code == .success { Self.exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Self.exit(withError: code == .validationFailure ? ExitStatus.badInput : code)
        }
    }
}
