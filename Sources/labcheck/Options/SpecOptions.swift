import ArgumentParser
import Checks
import Foundation

/// Which lab spec to grade with (`--checks`), and the upstream images' pins (`--pins`).
struct SpecOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The lab's steps as YAML.", valueName: "file"))
    var checks: String = "checks/ecr-lab.yaml"

    @Option(name: .long, help: ArgumentHelp(
        "The upstream images' digests for content checks (default: <checks>.pins.json beside the spec, when there; written by `labcheck pin`).",
        valueName: "file"))
    var pins: String?

    var specURL: URL { URL(fileURLWithPath: checks) }

    func load() throws -> LabSpec {
        guard FileManager.default.fileExists(atPath: specURL.path) else {
            throw CLIError.badInput("\(checks): no such file (give the lab's spec with --checks FILE)")
        }
        return try SpecLoader.load(contentsOf: specURL)
    }

    /// Where pins are read from and written to: `--pins`, or `<checks>.pins.json` beside the spec.
    var pinsURL: URL { pins.map { URL(fileURLWithPath: $0) } ?? PinsFile.defaultURL(forSpec: specURL) }

    /// The pins for `spec`: those of `--pins` (which must exist), else the default file if there is one,
    /// else nil (image steps are then graded by tag, and every report says "content not verified").
    func loadPins(for spec: LabSpec) throws -> UpstreamPins? {
        guard pins != nil || FileManager.default.fileExists(atPath: pinsURL.path) else { return nil }
        return try PinsFile.read(pinsURL, labId: spec.id)
    }
}
