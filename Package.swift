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
        .executable(name: "fulcrum", targets: ["fulcrum"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics.git", from: "1.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
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
