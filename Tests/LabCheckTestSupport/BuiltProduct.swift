import Foundation

/// The package's own built programs (`fake-ecr`, `labcheck`) that tests run as a user would.
/// `swift test` builds them with the tests and puts them beside the test bundle, whatever the
/// configuration or `--scratch-path`; `LABCHECK_PRODUCTS_DIR` points elsewhere. A test that needs one
/// is skipped, with the reason, when it is missing, unless `LABCHECK_REQUIRE_TOOLS=1` makes that a failure.
public enum BuiltProduct {
    /// Where the products are looked for, first match wins.
    public static var searchDirectories: [URL] {
        var directories: [URL] = []
        if let override = ProcessInfo.processInfo.environment["LABCHECK_PRODUCTS_DIR"], !override.isEmpty {
            directories.append(URL(fileURLWithPath: override, isDirectory: true))
        }
        // The running test bundle: .build/<triple>/<configuration>/LabCheckPackageTests.xctest
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        directories.append(bundle.deletingLastPathComponent())
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            directories.append(executable.deletingLastPathComponent())
        }
        for configuration in ["debug", "release"] {
            directories.append(RepositoryFiles.root.appendingPathComponent(".build/\(configuration)", isDirectory: true))
        }
        return directories
    }

    /// The built program `name`, if there is one.
    public static func url(_ name: String) -> URL? {
        for directory in searchDirectories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Enabled when the program is built, or when tools are required (the test then fails in `require`).
    public static func enabled(_ name: String) -> Bool { url(name) != nil || ExternalTool.required }

    /// The program's URL, or an error naming where it was looked for.
    public static func require(_ name: String) throws -> URL {
        guard let url = url(name) else { throw Missing(name: name, searched: searchDirectories.map(\.path)) }
        return url
    }

    public struct Missing: Error, CustomStringConvertible {
        public var name: String
        public var searched: [String]
        public var description: String {
            "\(name) is not built (swift build --product \(name)); looked in \(searched.joined(separator: ", "))"
        }
    }
}
