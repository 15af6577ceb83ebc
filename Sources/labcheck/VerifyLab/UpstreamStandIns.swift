import FakeECR
import Foundation
import Logging

/// The lab's public upstream registries on loopback: one read-only registry per OCI image layout
/// under `fixtures/upstream/<registry host>/`, each served twice: over HTTPS on port 443 of the
/// address the run's /etc/hosts gives its host (for docker and podman, as they reach the real one),
/// and over plain HTTP on a free port of 127.0.0.1 (for the fake's pull through cache and pinning,
/// inside labcheck).
struct UpstreamStandIns {
    /// By registry host (`public.ecr.aws`): the HTTPS stand-in the clients reach.
    let registries: [String: RunningOCILayoutRegistry]
    /// By registry host: the same layout over HTTP.
    let internalRegistries: [String: RunningOCILayoutRegistry]

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
        guard !layouts.isEmpty else {
            throw CLIError.badInput("\(directory.path) holds no OCI image layout (expected folders named after registries, such as public.ecr.aws/index.json)")
        }
        return layouts
    }

    /// Starts each layout of `layouts` at `addresses[host]`:443 with `tls`, and on 127.0.0.1 over HTTP.
    static func start(layouts: [String: URL], addresses: [String: String], tls: ServerTLS) async throws -> UpstreamStandIns {
        var registries: [String: RunningOCILayoutRegistry] = [:]
        var internalRegistries: [String: RunningOCILayoutRegistry] = [:]
        var quiet = Logger(label: "labcheck.verify-lab.upstream")
        quiet.logLevel = .critical
        do {
            for (name, layout) in layouts.sorted(by: { $0.key < $1.key }) {
                guard let address = addresses[name] else { throw CLIError.couldNotEvaluate("no loopback address planned for \(name)") }
                registries[name] = try await OCILayoutRegistry.start(directory: layout, host: address, port: 443, tls: tls, logger: quiet)
                internalRegistries[name] = try await OCILayoutRegistry.start(directory: layout, logger: quiet)
            }
        } catch {
            await UpstreamStandIns(registries: registries, internalRegistries: internalRegistries).stop()
            throw CLIError.couldNotEvaluate("could not start an upstream stand-in: \(error)")
        }
        return UpstreamStandIns(registries: registries, internalRegistries: internalRegistries)
    }

    /// Registry host → `127.0.0.11:443`.
    var authorities: [String: String] { registries.mapValues(\.authority) }

    /// Registry host → the HTTP stand-in (for the fake's pull through cache, and pinning as a client would).
    var sources: [String: UpstreamSource] { internalRegistries.mapValues { UpstreamSource.registry($0.endpoint) } }

    func stop() async {
        for registry in registries.values { await registry.stop() }
        for registry in internalRegistries.values { await registry.stop() }
    }
}
