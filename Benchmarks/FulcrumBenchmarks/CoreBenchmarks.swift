import Benchmark
import FulcrumCore

// Hot paths of the pure core. Run with `ENABLE_BENCHMARKS=1 swift package benchmark`.
let benchmarks: @Sendable () -> Void = {
    hotPathBenchmarks()  // HotPathBenchmarks.swift: the issue-7 hot paths
    indexBenchmarks()  // IndexBenchmarks.swift: the maintenance batch and the liquidation index
    engineEventBenchmarks()  // EngineEventBenchmarks.swift: fills, funding, collateral, the liquidation sweep

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        // Wall clock fails when it doubles (see tolerances(...) in BenchmarkFixtures.swift); mallocs when they grow.
        thresholds: [
            .wallClock: BenchmarkThresholds(relative: [.p90: 100.0]),
            .mallocCountTotal: .strict,
        ]
    )

    Benchmark("FixedPoint.parse+print") { benchmark in
        for _ in benchmark.scaledIterations {
            let price = try Price(parsing: "61234.56789")
            blackHole(price.description)
        }
    }

    // 1,000 maintenance-margin evaluations on a Binance-style tier table per scaled iteration.
    Benchmark("MarginTierTable.maintenanceMargin", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let table = try MarginTierTable.derivingDeductions([
            (Money.zero, try Money(units: 50_000), try Leverage(units: 125), try Rate(parsing: "0.004")),
            (try Money(units: 50_000), try Money(units: 600_000), try Leverage(units: 100), try Rate(parsing: "0.005")),
            (try Money(units: 600_000), nil, try Leverage(units: 75), try Rate(parsing: "0.0065")),
        ])
        let notionals = (0..<1_000).map { Money(raw: Int64($0) * 97_000_000_000) }
        for _ in benchmark.scaledIterations {
            for notional in notionals {
                blackHole(try table.maintenanceMargin(forNotional: notional))
            }
        }
    }
}
