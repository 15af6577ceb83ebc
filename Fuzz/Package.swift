// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses for LabCheck's parsers, kept apart from the root package so that its
// `swift build` and `swift test` never compile them. Build and run them with `Fuzz/run.sh`
// (release, `-sanitize=fuzzer,address`, scratch path `Fuzz/.build`).
//
// Each harness is a small executable that hands libFuzzer's bytes to one parser through its public
// API and stops (a crash libFuzzer reports) only when a property every input must keep is broken.

let harnesses: [(name: String, products: [String])] = [
    ("fuzz-spec", ["Checks"]),
    ("fuzz-roster", ["Checks"]),
    ("fuzz-state", ["FakeECR"]),
    ("fuzz-accounts", ["FakeECR"]),
    ("fuzz-faults", ["FakeECR"]),
    ("fuzz-sigv4-header", ["AWSCore"]),
    ("fuzz-sigv4-verify", ["AWSCore"]),
    ("fuzz-xml-sts", ["AWSCore", "ECRWire"]),
    ("fuzz-ecr-json", ["AWSCore", "ECRWire"]),
    ("fuzz-manifest", ["FakeECR"]),
]

let package = Package(
    name: "LabCheckFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "LabCheck", path: ".."),
    ],
    targets: [
        // The libFuzzer driver: `LLVMFuzzerRunDriver` called from the harness's own entry point.
        .target(name: "FuzzSupport"),
    ] + harnesses.map { harness in
        .executableTarget(
            name: harness.name,
            dependencies: ["FuzzSupport"] + harness.products.map { .product(name: $0, package: "LabCheck") }
        )
    },
    swiftLanguageModes: [.v6]
)
