import Foundation

/// Paths of the repository's own files, found from this source file.
public enum RepositoryFiles {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let labSpec = root.appendingPathComponent("checks/ecr-lab.yaml")
    public static let states = root.appendingPathComponent("fixtures/states")
    /// The fixture upstream images' pins (`labcheck pin` of fixtures/upstream's OCI layouts).
    public static let fixturePins = root.appendingPathComponent("fixtures/upstream/ecr-lab.pins.json")

    public static func state(_ name: String) -> URL { states.appendingPathComponent("\(name).json") }
}

/// A new empty folder under the temporary directory.
public func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("labcheck-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
