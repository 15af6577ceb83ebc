// swift-tools-version:6.0
// The bench's ceiling (not shipped): a Hummingbird 2.28.1 app whose one handler answers `{}` to
// every request, served by the same HTTP/1 server fake-ecr uses. run.sh builds it in release with
// its own scratch path (.build-bench, ignored by git).
import PackageDescription

let package = Package(
    name: "EmptyHandler",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "empty-handler",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
