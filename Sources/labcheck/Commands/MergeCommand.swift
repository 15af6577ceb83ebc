import ArgumentParser
import Checks
import Foundation
import Reports

/// `labcheck merge`: the class reports of several shards as one, identical to an unsharded run.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the outputs of `labcheck grade --shard` runs into one class report.",
        discussion: "Each DIR holds a shard's class.json and students/ folders; the merged reports and students go to --output."
    )

    @Argument(help: ArgumentHelp("Output folders of the shards.", valueName: "dir"))
    var directories: [String]

    @OptionGroup var language: LanguageOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let language = self.language.language
        let outputURL = output.outputURL
        let parts = try directories.map { try ClassJSON.read(from: URL(fileURLWithPath: $0).appendingPathComponent("class.json")) }
        let merged = try ClassResult.merged(parts)
        try copyStudentFolders(from: directories, to: outputURL)
        try ClassReportWriter(language: language).write(merged, to: outputURL)
        print(ClassSummary.render(merged, language: language))
        throw ClassSummary.exitStatus(merged)
    }

    /// Copies each shard's students/<id>/ into the merged output (skipping a shard that is the output itself).
    func copyStudentFolders(from directories: [String], to output: URL) throws {
        let manager = FileManager.default
        let target = output.appendingPathComponent("students", isDirectory: true)
        try manager.createDirectory(at: target, withIntermediateDirectories: true)
        for directory in directories {
            let source = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent("students", isDirectory: true)
            guard source.standardizedFileURL != target.standardizedFileURL,
                  let students = try? manager.contentsOfDirectory(atPath: source.path) else { continue }
            for student in students {
                let destination = target.appendingPathComponent(student, isDirectory: true)
                if manager.fileExists(atPath: destination.path) { try manager.removeItem(at: destination) }
                try manager.copyItem(at: source.appendingPathComponent(student, isDirectory: true), to: destination)
            }
        }
    }
}
