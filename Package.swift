// swift-tools-version:6.2
import PackageDescription

/// Settings every target shares, applied in one place.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "alifeed",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "alifeed", targets: ["alifeed"]),
        .executable(name: "alifeed-bench", targets: ["alifeed-bench"]),
        .library(name: "OpenPlatform", targets: ["OpenPlatform"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // Finding the bytes that need escaping, sixteen at a time (SSE2); Swift's SIMD types did
        // not compile to vector compares here.
        .target(name: "CByteScan"),
        // Starting a file's writeback early (Linux `sync_file_range`, which Glibc's Swift module
        // does not export).
        .target(name: "CWriteback"),
        .target(name: "Catalog", dependencies: ["CByteScan"], swiftSettings: strictSettings),
        .target(
            name: "OpenPlatform",
            dependencies: [
                "Catalog",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Sandbox",
            dependencies: [
                "Catalog",
                "OpenPlatform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Extract",
            dependencies: ["Catalog", "OpenPlatform", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Transform",
            dependencies: ["Catalog", "OpenPlatform", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Load",
            dependencies: [
                "Catalog", "CWriteback", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "Catalog", "OpenPlatform", "Sandbox", "Extract", "Transform", "Load",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "alifeed",
            dependencies: [
                "Catalog",
                "Load",
                "OpenPlatform",
                "Sandbox",
                "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "alifeed-bench",
            dependencies: [
                "Catalog", "OpenPlatform", "Sandbox", "Load", "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"], swiftSettings: strictSettings),
        .testTarget(
            name: "OpenPlatformTests",
            dependencies: ["OpenPlatform", "Sandbox"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "OpenPlatform"], swiftSettings: strictSettings),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "Sandbox", "OpenPlatform", "Catalog", "Load", "Transform", "Extract",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Golden"), .copy("Fuzz")],
            swiftSettings: strictSettings
        ),
    ]
)
