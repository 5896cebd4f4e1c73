// swift-tools-version: 6.2
// Fulcrum: an exact, fast engine for leveraged-trading risk.
// Every URL resolves against the machine's local copy of Swift packages; versions are the listed ones.

import PackageDescription

/// Settings shared by every first-party target: Swift 6 mode (tools 6.2 default), stricter imports,
/// and warnings as errors on our code only (dependencies are unaffected).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Fulcrum",
    platforms: [.macOS(.v15)],  // Int128 needs macOS 15 on Apple platforms; no-op on Linux.
    products: [
        .library(name: "FulcrumCore", targets: ["FulcrumCore"]),
        .library(name: "FulcrumEngine", targets: ["FulcrumEngine"]),
        .library(name: "FulcrumLending", targets: ["FulcrumLending"]),
        .library(name: "FulcrumLab", targets: ["FulcrumLab"]),
        .library(name: "FulcrumAnalytics", targets: ["FulcrumAnalytics"]),
        .library(name: "FulcrumProofs", targets: ["FulcrumProofs"]),
        .library(name: "FulcrumIO", targets: ["FulcrumIO"]),
        .library(name: "FulcrumStore", targets: ["FulcrumStore"]),
        .library(name: "FulcrumServer", targets: ["FulcrumServer"]),
        .executable(name: "fulcrum", targets: ["fulcrum"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics.git", from: "1.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Pure domain core: fixed-point numbers, margin tiers, venue rules. No Foundation, no I/O.
        .target(
            name: "FulcrumCore",
            swiftSettings: strictSettings
        ),
        // The clearing engine: state, events, liquidation waterfall. Pure: no Foundation, no I/O.
        .target(
            name: "FulcrumEngine",
            dependencies: ["FulcrumCore"],
            swiftSettings: strictSettings
        ),
        // Lending protocols (Aave v3, Compound III, Maker, Morpho): pure, on the core's fixed-point types.
        .target(
            name: "FulcrumLending",
            dependencies: ["FulcrumCore"],
            swiftSettings: strictSettings
        ),
        // The cascade lab: price paths, liquidity, oracles, populations, agents, Monte Carlo. Pure: no Foundation,
        // no I/O (loaders live in FulcrumIO); Double only for stochastic models, values enter the engine as fixed point.
        .target(
            name: "FulcrumLab",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumLending",
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            swiftSettings: strictSettings
        ),
        // Risk analytics: liquidation maps and probabilities, volatility-sensitive margin, ADL policies, backtests.
        // Pure: no Foundation, no I/O.
        .target(
            name: "FulcrumAnalytics",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumLab",
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            swiftSettings: strictSettings
        ),
        // Merkle-sum proofs of liabilities and solvency (SHA-256 from swift-crypto). No file I/O.
        .target(
            name: "FulcrumProofs",
            dependencies: ["FulcrumCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Edge: `fulcrum prove` / `fulcrum verify` (proof files on disk).
        .target(
            name: "FulcrumProofsCLI",
            dependencies: [
                "FulcrumCore",
                "FulcrumProofs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Edge: wire formats (JSON lines, account files), file reading. Foundation lives here.
        .target(
            name: "FulcrumIO",
            dependencies: ["FulcrumCore", "FulcrumEngine", "FulcrumLending", "FulcrumLab", "FulcrumAnalytics"],
            swiftSettings: strictSettings
        ),
        // Edge: the durable event log and snapshots: SQLite via GRDB (default) or PostgreSQL via postgres-nio.
        .target(
            name: "FulcrumStore",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Edge: `fulcrum serve`: the engine as a durable service (Hummingbird HTTP + WebSocket API, dashboard).
        .target(
            name: "FulcrumServer",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumAnalytics",
                "FulcrumIO",
                "FulcrumStore",
                "FulcrumProofs",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: strictSettings
        ),
        // Edge: the command-line commands as small types, testable in-process.
        .target(
            name: "FulcrumCommands",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumLending",
                "FulcrumLab",
                "FulcrumAnalytics",
                "FulcrumIO",
                "FulcrumProofsCLI",
                "FulcrumStore",
                "FulcrumServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "fulcrum",
            dependencies: [
                "FulcrumCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FulcrumCoreTests",
            dependencies: [
                "FulcrumCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FulcrumEngineTests",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FulcrumLendingTests",
            dependencies: [
                "FulcrumCore",
                "FulcrumLending",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FulcrumLabTests",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumLab",
                "FulcrumIO",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FulcrumAnalyticsTests",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumLab",
                "FulcrumAnalytics",
                "FulcrumIO",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FulcrumProofsTests",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumProofs",
                "FulcrumProofsCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        // Test support shared by the store and server suites: subprocess harnesses (a `fulcrum serve` under test, a
        // private PostgreSQL server). Foundation only; never linked into the product.
        .target(
            name: "FulcrumTestSupport",
            path: "Tests/FulcrumTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FulcrumStoreTests",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumIO",
                "FulcrumStore",
                "FulcrumTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FulcrumServerTests",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumIO",
                "FulcrumStore",
                "FulcrumServer",
                "FulcrumTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FulcrumCommandsTests",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumLending",
                "FulcrumLab",
                "FulcrumIO",
                "FulcrumCommands",
            ],
            swiftSettings: strictSettings
        ),
    ]
)

// package-benchmark is opt-in (as Hummingbird does with ENABLE_HB_BENCHMARKS): it keeps the benchmark package,
// its dependencies and its build plugin out of ordinary builds and CI.
//   ENABLE_BENCHMARKS=1 swift package benchmark
//   ENABLE_BENCHMARKS=1 swift package benchmark thresholds check --path Benchmarks/Thresholds
if Context.environment["ENABLE_BENCHMARKS"] != nil {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"])
    )
    package.targets.append(
        .executableTarget(
            name: "FulcrumBenchmarks",
            dependencies: [
                "FulcrumCore",
                "FulcrumEngine",
                "FulcrumAnalytics",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/FulcrumBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    )
}
