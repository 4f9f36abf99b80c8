// swift-tools-version:6.1
import PackageDescription

// The tools that turn `openapi.yaml` into the Swift and JSON committed under `Sources/DeskServer/Generated`; run by
// `scripts/generate-openapi.sh`. A package of its own, so the server's build never compiles the generator.
let package = Package(
    name: "openapi-codegen",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Pinned: the generated files record this version, and `OpenAPIContractTests` checks that they are current.
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .executableTarget(
            name: "openapi-json",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ]
)
