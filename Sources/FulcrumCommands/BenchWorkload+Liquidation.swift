public import FulcrumCore
import FulcrumEngine

/// Workload 1: isolated liquidation prices.
extension BenchWorkload {
    /// Random isolated positions on Binance BTCUSDT, drawn from ``SplitMixRandom`` exactly as
    /// `bench/peers/workloads.py` draws them: per position, in this order, side (`below(2)`, 0 = long), entry
    /// `(200,000 + below(1,000,000)) × 0.1`, size `(1 + below(5,000)) × 0.001`, leverage `1 + below(125)`; the
    /// isolated margin is `entry × size / leverage` in 10⁻⁸ units, rounded down (the trader posts no more than
    /// that).
    public struct IsolatedPositions: Sendable {
        /// Sides.
        public var sides: [PositionSide]
        /// Entry prices.
        public var entries: [Price]
        /// Sizes.
        public var sizes: [Quantity]
        /// Isolated margins.
        public var margins: [Money]

        /// Wraps existing arrays (equal lengths).
        public init(sides: [PositionSide], entries: [Price], sizes: [Quantity], margins: [Money]) {
            self.sides = sides
            self.entries = entries
            self.sizes = sizes
            self.margins = margins
        }

        /// Draws `count` positions from `seed`.
        public init(count: Int, seed: UInt64) {
            var random = SplitMixRandom(seed: seed)
            sides = []
            entries = []
            sizes = []
            margins = []
            sides.reserveCapacity(count)
            entries.reserveCapacity(count)
            sizes.reserveCapacity(count)
            margins.reserveCapacity(count)
            for _ in 0..<count {
                let isLong = random.below(2) == 0
                let ticks = Int64(200_000 + random.below(1_000_000))
                let steps = Int64(1 + random.below(5_000))
                let leverage = Int64(1 + random.below(125))
                // ticks < 1.2·10⁶ and steps ≤ 5·10³: every product below fits in Int64 by far.
                let notional = ticks * steps * 10_000  // (ticks·10⁷)·(steps·10⁵)/10⁸, exact
                sides.append(isLong ? .long : .short)
                entries.append(Price(raw: ticks * 10_000_000))
                sizes.append(Quantity(raw: steps * 100_000))
                margins.append(Money(raw: notional / leverage))  // floor: favours nobody, fixed by the peers' script
            }
        }
    }

    /// Solves `settings.positions` liquidation prices with one ``IsolatedLiquidationBatch`` call per thread, each
    /// into its own output buffer allocated (and touched) once before timing, as a caller reusing its buffer does.
    static func liquidationPrices(_ settings: BenchSettings) throws(BenchError) -> BenchMeasurement {
        let positions = IsolatedPositions(count: settings.positions, seed: settings.seed)
        let batch: IsolatedLiquidationBatch
        do {
            batch = try IsolatedLiquidationBatch(venue: .binance, market: MarketCatalog.binanceBTCUSDT)
        } catch {
            throw BenchError("liqprice: \(error)")
        }
        // Each thread solves its own contiguous chunk (copied out before timing) into its own output buffer.
        let chunks = BenchParallel.ranges(count: settings.positions, threads: settings.threads).map { range in
            IsolatedPositions(
                sides: Array(positions.sides[range]),
                entries: Array(positions.entries[range]),
                sizes: Array(positions.sizes[range]),
                margins: Array(positions.margins[range])
            )
        }
        let outputs = chunks.map { chunk in
            let base = UnsafeMutablePointer<Price>.allocate(capacity: max(1, chunk.sides.count))
            base.initialize(repeating: .zero, count: max(1, chunk.sides.count))  // touched once: no page faults later
            return BenchParallel.Slots(base: base)
        }
        defer {
            for (part, output) in outputs.enumerated() {
                output.base.deinitialize(count: max(1, chunks[part].sides.count))
                output.base.deallocate()
            }
        }
        // Workers started before timing and kept running across the timed runs (see BenchParallel.Team).
        let team = BenchParallel.Team(threads: settings.threads)
        defer { team.stop() }
        // Timed: the batch call only, as the peers time only their calls; the count and checksum are read from the
        // last run's outputs afterwards.
        let (seconds, _) = try best(runs: settings.runs) { () throws(BenchError) in
            let parts = BenchParallel.map(
                team: team,
                count: settings.positions,
                initial: Result<Void, ArithmeticError>.success(())
            ) { part, _ in
                let chunk = chunks[part]
                let output = UnsafeMutableBufferPointer(start: outputs[part].base, count: chunk.sides.count)
                do throws(ArithmeticError) {
                    try batch.liquidationPrices(
                        sides: chunk.sides,
                        entries: chunk.entries,
                        sizes: chunk.sizes,
                        margins: chunk.margins,
                        into: output
                    )
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            for part in parts {
                if case .failure(let error) = part { throw BenchError("liqprice: \(error)") }
            }
        }
        var none = 0
        var sum: Int64 = 0
        for (part, output) in outputs.enumerated() {
            for price in UnsafeBufferPointer(start: output.base, count: chunks[part].sides.count) {
                if price.isZero { none += 1 }
                sum &+= price.raw  // checksum only: wrapping is fine
            }
        }
        let checksum = (none, sum)
        // Read per position: side (1 byte) + entry, size, margin (8 each); written: the price (8).
        return BenchMeasurement(
            name: rawValue(.liqprice),
            items: settings.positions,
            seconds: seconds,
            bytesPerItem: 33,
            detail: "\(checksum.0) without a liquidation price; checksum \(checksum.1)"
        )
    }

    /// The name of `workload` (helper for the static workloads).
    static func rawValue(_ workload: BenchWorkload) -> String { workload.rawValue }
}
