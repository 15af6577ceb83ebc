import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

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
        // Swift Concurrency's jobs run on NIO's event loops (before any other concurrency work):
        // a request's handler then resumes on the loop that read it instead of hopping to the
        // cooperative pool and back for every request.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
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
