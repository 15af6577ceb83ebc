import ArgumentParser
import Foundation

/// `fake-ecr`: an offline Amazon ECR (control plane and STS).
@main
struct FakeECRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-ecr",
        abstract: "An offline Amazon ECR control plane and STS that the AWS CLI cannot tell from the real one.",
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self)

    /// Bad usage and bad input files exit with 2 (the project's convention), other failures with 1.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
