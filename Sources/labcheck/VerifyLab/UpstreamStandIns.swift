import FakeECR
import Foundation
import Logging

/// The lab's public upstream registries on loopback: one read-only registry per OCI image layout
/// under `fixtures/upstream/<registry host>/`.
struct UpstreamStandIns {
    /// By registry host (`public.ecr.aws`).
    let registries: [String: RunningOCILayoutRegistry]

    /// The OCI layouts under `directory`, by registry host: each folder holding an `index.json`.
    static func layouts(in directory: URL) throws -> [String: URL] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else {
            throw CLIError.badInput("\(directory.path): no such folder of upstream images (give it with --upstream-images DIR)")
        }
        var layouts: [String: URL] = [:]
        for name in names where manager.fileExists(atPath: directory.appendingPathComponent(name).appendingPathComponent("index.json").path) {
            layouts[name] = directory.appendingPathComponent(name, isDirectory: true)
        }
        return layouts
    }

    static func start(from directory: URL) async throws -> UpstreamStandIns {
        let layouts = try layouts(in: directory)
        var registries: [String: RunningOCILayoutRegistry] = [:]
        var quiet = Logger(label: "labcheck.verify-lab.upstream")
        quiet.logLevel = .critical
        do {
            for (name, layout) in layouts.sorted(by: { $0.key < $1.key }) {
                registries[name] = try await OCILayoutRegistry.start(directory: layout, logger: quiet)
            }
        } catch {
            await UpstreamStandIns(registries: registries).stop()
            throw CLIError.couldNotEvaluate("could not start an upstream stand-in: \(error)")
        }
        guard !registries.isEmpty else {
            throw CLIError.badInput("\(directory.path) holds no OCI image layout (expected folders named after registries, such as public.ecr.aws/index.json)")
        }
        return UpstreamStandIns(registries: registries)
    }

    /// Registry host → `127.0.0.1:PORT`.
    var authorities: [String: String] { registries.mapValues(\.authority) }

    /// Registry host → the stand-in, as a registry reached over HTTP (for pinning as a client would).
    var sources: [String: UpstreamSource] {
        registries.compactMapValues { registry in URL(string: "http://\(registry.authority)").map(UpstreamSource.registry) }
    }

    func stop() async {
        for registry in registries.values { await registry.stop() }
    }
}
