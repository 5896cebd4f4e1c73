import Benchmark
import FulcrumCore
import FulcrumEngine

/// The issue-7 hot paths: liquidation-price batch, cross-margin check, engine per-event path.
func hotPathBenchmarks() {
    // 100,000 isolated liquidation prices per scaled iteration (Binance BTCUSDT, IsolatedLiquidationBatch), into the
    // caller's reused array.
    Benchmark(
        "IsolatedLiquidationBatch.100k",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal],
            scalingFactor: .one,
            maxDuration: .seconds(2),
            thresholds: tolerances(wallClockNanoseconds: 2_559_999)
        )
    ) { benchmark in
        let inputs = IsolatedInputs(count: 100_000, seed: 42)
        let batch = try IsolatedLiquidationBatch(venue: .binance, market: MarketCatalog.binanceBTCUSDT)
        var output = [Price](repeating: .zero, count: 100_000)  // the caller's array, reused: no allocation per call
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try batch.liquidationPrices(
                sides: inputs.sides,
                entries: inputs.entries,
                sizes: inputs.sizes,
                margins: inputs.margins,
                into: &output
            )
            blackHole(output)
        }
    }

    // The same 100,000 prices into a buffer the caller owns (the entry point a parallel split uses per thread).
    Benchmark(
        "IsolatedLiquidationBatch.buffer.100k",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal],
            scalingFactor: .one,
            maxDuration: .seconds(2),
            thresholds: tolerances(wallClockNanoseconds: 2_758_655)
        )
    ) { benchmark in
        let inputs = IsolatedInputs(count: 100_000, seed: 42)
        let batch = try IsolatedLiquidationBatch(venue: .binance, market: MarketCatalog.binanceBTCUSDT)
        let buffer = UnsafeMutableBufferPointer<Price>.allocate(capacity: 100_000)
        buffer.initialize(repeating: .zero)
        defer { buffer.deallocate() }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try batch.liquidationPrices(
                sides: inputs.sides,
                entries: inputs.entries,
                sizes: inputs.sizes,
                margins: inputs.margins,
                into: buffer
            )
            blackHole(buffer[99_999])
        }
    }

    // 10,000 cross accounts (3 positions each) checked per scaled iteration through ClearingEngine.crossMargin.
    Benchmark(
        "ClearingEngine.crossMargin.10k",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal],
            scalingFactor: .one,
            maxDuration: .seconds(2),
            thresholds: tolerances(wallClockNanoseconds: 14_737_407)
        )
    ) { benchmark in
        let engine = try crossEngine(accounts: 10_000, seed: 42)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var liquidatable = 0
            for account in 1...10_000 {
                let metrics = try engine.crossMargin(of: AccountID(UInt32(account)))
                if metrics.equity < metrics.maintenance { liquidatable += 1 }
            }
            blackHole(liquidatable)
        }
    }

    // The engine's per-event path in steady state: one mark-price event per scaled iteration on an engine with
    // 1,000 cross accounts, the effects buffer reused. The malloc counter is the allocation-free target.
    Benchmark(
        "ClearingEngine.apply.markPrice",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal],
            scalingFactor: .kilo,
            maxDuration: .seconds(2),
            thresholds: tolerances(wallClockNanoseconds: 91_583)
        )
    ) { benchmark in
        var engine = try crossEngine(accounts: 1_000, seed: 42)
        var effects: [Effect] = []
        effects.reserveCapacity(64)
        let prices = [
            Price(raw: 93_000 * FixedPointScale.factor), Price(raw: 93_000 * FixedPointScale.factor + 10_000_000),
        ]
        var step = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            step &+= 1
            try engine.apply(.markPrice(market: MarketID(0), price: prices[step & 1]), effects: &effects)
            effects.removeAll(keepingCapacity: true)
        }
        blackHole(engine.eventCount)
    }
}
