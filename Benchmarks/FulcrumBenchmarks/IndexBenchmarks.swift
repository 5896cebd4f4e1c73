import Benchmark
import FulcrumCore
import FulcrumEngine

/// The issue-7 incremental paths: the batch maintenance check and the liquidation index's price update.
func indexBenchmarks() {
    // 10,000 cross accounts (3 positions each) checked per scaled iteration by the maintenance batch (same engine as
    // ClearingEngine.crossMargin.10k); the constants are prepared once, so the loop allocates nothing.
    Benchmark(
        "ClearingEngine.maintenanceShortfalls.10k",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal],
            scalingFactor: .one,
            maxDuration: .seconds(2),
            thresholds: tolerances(wallClockNanoseconds: 400_639)
        )
    ) { benchmark in
        let engine = try crossEngine(accounts: 10_000, seed: 42)
        var batch = MaintenanceBatch()
        batch.prepare(engine)
        var shortfalls = [Bool](repeating: false, count: 10_000)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try engine.maintenanceShortfalls(accounts: 1..<10_001, using: batch, into: &shortfalls))
        }
    }

    // One mark update of market 0 per scaled iteration on 10,000 cross accounts, alternating between two prices
    // 0.5 % apart: the engine's event (≈ 0.1 µs) plus the index re-checking the crossed keys and writing the accounts
    // under maintenance.
    Benchmark(
        "LiquidationIndex.candidates.10k",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal],
            scalingFactor: .one,
            maxDuration: .seconds(2),
            thresholds: tolerances(wallClockNanoseconds: 2_075_647)
        )
    ) { benchmark in
        var engine = try crossEngine(accounts: 10_000, seed: 42)
        var index = LiquidationIndex(engine: engine)
        var result: [AccountID] = []
        result.reserveCapacity(10_001)
        var effects: [Effect] = []
        effects.reserveCapacity(4)
        let prices = [Price(raw: 93_000 * FixedPointScale.factor), Price(raw: 93_465 * FixedPointScale.factor)]
        var step = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            step &+= 1
            try engine.apply(.markPrice(market: MarketID(0), price: prices[step & 1]), effects: &effects)
            effects.removeAll(keepingCapacity: true)
            index.candidates(afterPriceUpdate: MarketID(0), in: engine, into: &result)
            blackHole(result.count)
        }
    }
}
