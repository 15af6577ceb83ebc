import ECRWire
import Foundation
import NIOCore

/// Basic scanning, offline: the packages an image's layers install (dpkg's status file, apk's
/// installed database; the layers read lowest first, whiteouts applied) matched against the
/// vulnerability table. The outcome is a `ImageScanRecord` that completes `duration` after it starts.
struct ImageScanner: Sendable {
    let blobs: any BlobStore
    let table: VulnerabilityTable
    /// How long a scan stays IN_PROGRESS on the fake's clock.
    let duration: TimeInterval

    /// Config media types of container images; any other config makes the manifest an artifact.
    static let imageConfigTypes: Set<String> = ["application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json"]

    /// Why StartImageScan refuses an image (UnsupportedImageTypeException): nil when it is a
    /// container image basic scanning can read (an image manifest with an image config).
    static func unsupportedType(_ image: ImageRecord) -> String? {
        guard ManifestMediaTypes.images.contains(image.mediaType) else { return image.mediaType }
        if let config = image.artifactMediaType, !imageConfigTypes.contains(config) { return config }
        return nil
    }

    /// Scans `image`, starting at `now`.
    func scan(_ image: ImageRecord, now: Date) -> ImageScanRecord {
        let (status, description, findings) = outcome(of: image)
        return ImageScanRecord(
            startedAt: now, completedAt: now.addingTimeInterval(duration), status: status, statusDescription: description, findings: findings,
            vulnerabilitySourceUpdatedAt: table.updatedAt)
    }

    private func outcome(of image: ImageRecord) -> (ScanStatus, String?, [ImageScanFinding]) {
        if Self.unsupportedType(image) != nil { return (.failed, ImageScanRecord.unsupportedDescription, []) }
        guard let manifest = ImageManifest.parse(Data(image.manifest.utf8)) else {
            return (.failed, "The scan failed: the image manifest could not be read.", [])
        }
        let files: [String: Data]
        do {
            files = try Self.files(Set(PackageEcosystem.allCases.map(\.databasePath)), in: manifest.layers.compactMap(\.digest), blobs: blobs)
        } catch {
            return (.failed, "The scan failed: \(error)", [])
        }
        var packages: [InstalledPackage] = []
        if let status = files[PackageEcosystem.dpkg.databasePath] { packages += InstalledPackage.dpkg(String(decoding: status, as: UTF8.self)) }
        if let installed = files[PackageEcosystem.apk.databasePath] { packages += InstalledPackage.apk(String(decoding: installed, as: UTF8.self)) }
        guard !files.isEmpty else { return (.failed, ImageScanRecord.unsupportedDescription, []) }
        return (.complete, ImageScanRecord.completeDescription, table.findings(for: packages))
    }

    /// The files at `paths` in the image the layers (lowest first) make: a layer's whiteout of a
    /// file or of a directory above it, or an opaque directory above it, hides the file of the
    /// layers below; a layer's own file replaces theirs.
    static func files(_ paths: Set<String>, in layers: [String], blobs: any BlobStore) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for digest in layers {
            let layer = try read(digest, keeping: paths, blobs: blobs)
            for path in paths where hidden(path, by: layer) { files[path] = nil }
            files.merge(layer.files) { _, upper in upper }
        }
        return files
    }

    static func hidden(_ path: String, by layer: TarReader.Layer) -> Bool {
        var ancestors: [String] = [""]
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
            ancestors.append(prefix)
        }
        // The path itself or a directory above it deleted; a directory above it made opaque.
        return ancestors.dropFirst().contains(where: layer.whiteouts.contains) || ancestors.dropLast().contains(where: layer.opaqueDirectories.contains)
    }

    /// One layer's files at `paths` and whiteouts: gzip tar, or plain tar. Other encodings
    /// (zstd) are not read and hold nothing.
    static func read(_ digest: String, keeping paths: Set<String>, blobs: any BlobStore) throws -> TarReader.Layer {
        guard let contents = try blobs.contents(of: digest) else { throw LayerReadError("layer \(digest) is not stored in the fake") }
        let data: Data
        switch contents {
        case .memory(let buffer): data = Data(buffer.readableBytesView)
        case .file(let path, _):
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            } catch {
                throw LayerReadError("layer \(digest) could not be read: \(error.localizedDescription)")
            }
        }
        var reader = TarReader(keeping: paths)
        do {
            if GzipReader.isGzip(data) {
                try GzipReader.inflate(data) { try reader.feed($0) }
            } else if data.count >= 262, String(decoding: data[data.startIndex + 257..<data.startIndex + 262], as: UTF8.self) == "ustar" {
                try reader.feed(data)
            } else {
                return TarReader.Layer()
            }
            return try reader.finish()
        } catch let error as LayerReadError {
            throw LayerReadError("layer \(digest): \(error.problem)")
        }
    }
}
