import ArgumentParser
import Checks
import Foundation

/// Which lab spec to grade with (`--checks`).
struct SpecOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The lab's steps as YAML.", valueName: "file"))
    var checks: String = "checks/ecr-lab.yaml"

    func load() throws -> LabSpec {
        let url = URL(fileURLWithPath: checks)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CLIError.badInput("\(checks): no such file (give the lab's spec with --checks FILE)")
        }
        return try SpecLoader.load(contentsOf: url)
    }
}
