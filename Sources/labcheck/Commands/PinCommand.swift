import ArgumentParser
import Checks
import Foundation

/// `labcheck pin`: the upstream images' digests, fetched once and written beside the spec for review.
struct PinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Pin the upstream images the lab's image steps compare with (index, platform manifests, configs) into a pins file.",
        discussion: """
        Fetches each `sameAs` image of the spec from its registry (anonymous pulls, as docker does), or from \
        a stand-in given with --upstream REGISTRY=http://HOST:PORT or REGISTRY=oci:DIR, and writes the pins \
        (default: <checks>.pins.json beside a --checks spec; for the built-in lab, <lab id>.pins.json here, \
        to be given to check and grade with --pins). Review and commit the file: grading reads it, never the network.
        """
    )

    @OptionGroup var spec: SpecOptions

    @Option(name: .customLong("upstream"), help: ArgumentHelp(
        "Fetch REGISTRY's images from SOURCE instead: http://HOST:PORT (a registry) or oci:DIR (an OCI layout). Repeatable.",
        valueName: "registry=source"))
    var upstreams: [String] = []

    @Option(name: .long, help: ArgumentHelp("Where to write the pins (default: --pins, or <checks>.pins.json, or <lab id>.pins.json for the built-in lab).", valueName: "file"))
    var output: String?

    func run() async throws {
        let spec = try self.spec.load()
        let references = UpstreamPinning.references(in: spec)
        guard !references.isEmpty else {
            throw CLIError.badInput("\(self.spec.specName): no step compares with an upstream image (imageTagPresent with sameAs); nothing to pin")
        }
        let pins: UpstreamPins
        do {
            pins = try await UpstreamPinning.pin(spec, sources: try UpstreamPinning.sources(upstreams))
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.couldNotEvaluate("could not pin the upstream images: \(error)")
        }
        let url = output.map { URL(fileURLWithPath: $0) } ?? self.spec.pinsURL ?? URL(fileURLWithPath: "\(spec.id).pins.json")
        try PinsFile.write(pins, to: url)
        for reference in references {
            guard let image = pins.image(reference) else { continue }
            print("\(reference) \(image.digest) (\(image.platforms.map { "\($0.platform) config \($0.configDigest.prefix(19))…" }.joined(separator: ", ")))")
        }
        print("pins: \(url.path)")
    }
}
