// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LabCheck",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "labcheck", targets: ["labcheck"]),
        .executable(name: "fake-ecr", targets: ["fake-ecr"]),
        .library(name: "AWSCore", targets: ["AWSCore"]),
        .library(name: "ECRWire", targets: ["ECRWire"]),
        .library(name: "Checks", targets: ["Checks"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "FakeECR", targets: ["FakeECR"]),
        .library(name: "FakeECRTesting", targets: ["FakeECRTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", "5.0.1"..<"7.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
    ],
    targets: [
        // libxml2 (a system library), read directly by AWSCore's XMLAnswer: FoundationXML's reader crashes
        // on bodies libxml2 itself reads or refuses cleanly.
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // AWS core: SigV4, credentials, region/endpoints, JSON 1.1 + query protocols, retries. No ECR knowledge.
        .target(
            name: "AWSCore",
            dependencies: [
                "CLibXML2",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // ECR wire: Codable shapes of the ECR and STS operations, shared by the client and the fake.
        .target(
            name: "ECRWire",
            dependencies: [
                "AWSCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Checks: spec (YAML) -> typed steps, evaluator, scoring, evidence ledger.
        .target(
            name: "Checks",
            dependencies: [
                "AWSCore", "ECRWire",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Reports: results -> text, JSON, JUnit XML, Markdown (never calls AWS).
        .target(
            name: "Reports",
            dependencies: ["Checks", "AWSCore"]
        ),
        // zlib (a system library), for reading gzip layers when fake-ecr scans images.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Fake ECR: Hummingbird app with the ECR control plane, STS, storage and admin API.
        .target(
            name: "FakeECR",
            dependencies: [
                "AWSCore", "ECRWire", "CZlib",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // An in-process fake ECR for tests (in the style of HummingbirdTesting) with clients that talk to it.
        .target(
            name: "FakeECRTesting",
            dependencies: [
                "FakeECR", "AWSCore", "ECRWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The lab compiled into labcheck (spec, demo state, fixture pins), generated by scripts/embed-lab.py.
        .target(name: "BuiltInLab"),
        .executableTarget(
            name: "labcheck",
            dependencies: [
                "AWSCore", "ECRWire", "Checks", "Reports", "FakeECR", "BuiltInLab",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "fake-ecr",
            dependencies: [
                "FakeECR",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers the test targets share: external tools, bounded child processes, free ports.
        .target(name: "LabCheckTestSupport", path: "Tests/LabCheckTestSupport"),
        .testTarget(
            name: "AWSCoreTests",
            dependencies: [
                "AWSCore", "ECRWire", "FakeECR", "LabCheckTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "FakeECRTests",
            dependencies: [
                "fake-ecr", "FakeECR", "FakeECRTesting", "AWSCore", "ECRWire", "LabCheckTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["Vectors"]
        ),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Checks", "LabCheckTestSupport"], exclude: ["Schemas"]),
        .testTarget(
            name: "ChecksTests",
            dependencies: [
                "Checks", "Reports", "FakeECR", "FakeECRTesting", "AWSCore", "ECRWire", "LabCheckTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Tests that run the built `labcheck` program as its users do (check, demo, grade, merge, verify-lab).
        .testTarget(
            name: "LabCheckCLITests",
            dependencies: ["labcheck", "BuiltInLab", "Checks", "Reports", "FakeECR", "FakeECRTesting", "LabCheckTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
