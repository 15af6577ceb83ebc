import ArgumentParser
import BuiltInLab
import Checks
import Foundation

/// Which lab spec to grade with (`--checks`, else the built-in lab), and the upstream images' pins
/// (`--pins`). The one place the default spec is chosen.
struct SpecOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The lab's steps as YAML (default: the built-in lab, checks/ecr-lab.yaml as this labcheck was built).",
        valueName: "file"))
    var checks: String?

    @Option(name: .long, help: ArgumentHelp(
        "The upstream images' digests for content checks (default: <checks>.pins.json beside a --checks spec, when there; written by `labcheck pin`).",
        valueName: "file"))
    var pins: String?

    /// Where a spec in the working folder would be: used only with `--checks`, but named when it
    /// differs from the built-in spec, so that it is never silently ignored or silently preferred.
    static let localSpecPath = "checks/ecr-lab.yaml"

    /// How messages name the spec: its file, or the built-in one.
    var specName: String { checks ?? BuiltInLab.specName }

    /// The spec of `--checks`, or the built-in one (saying so on standard error when a different
    /// `checks/ecr-lab.yaml` is in the working folder).
    func load() throws -> LabSpec {
        guard let checks else {
            let spec = try SpecLoader.parse(BuiltInLab.specText, file: BuiltInLab.specName)
            if let note = Self.localSpecNote(builtIn: spec) {
                FileHandle.standardError.write(Data("labcheck: \(note)\n".utf8))
            }
            return spec
        }
        guard FileManager.default.fileExists(atPath: checks) else {
            throw CLIError.badInput("\(checks): no such file (give the lab's spec with --checks FILE, or leave --checks out for the built-in lab)")
        }
        return try SpecLoader.load(contentsOf: URL(fileURLWithPath: checks))
    }

    /// What to say when `./checks/ecr-lab.yaml` exists and is not the built-in spec; nil otherwise.
    static func localSpecNote(builtIn: LabSpec) -> String? {
        guard let text = try? String(contentsOfFile: localSpecPath, encoding: .utf8),
              LabSpec.digest(ofText: text) != builtIn.digest else { return nil }
        return "grading with the built-in spec (\(builtIn.id) \(builtIn.digest ?? "")); ./\(localSpecPath) differs from it "
            + "and is not used: give --checks \(localSpecPath) to grade with it"
    }

    /// Where pins are read from by default: `--pins`, or `<checks>.pins.json` beside a `--checks` spec;
    /// nil for the built-in spec without `--pins`.
    var pinsURL: URL? {
        if let pins { return URL(fileURLWithPath: pins) }
        return checks.map { PinsFile.defaultURL(forSpec: URL(fileURLWithPath: $0)) }
    }

    /// The pins for `spec`: those of `--pins` (which must exist), else the default file if there is one,
    /// else nil (image steps are then graded by tag, and every report says "content not verified").
    func loadPins(for spec: LabSpec) throws -> UpstreamPins? {
        guard let url = pinsURL, pins != nil || FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try PinsFile.read(url, labId: spec.id)
    }
}
