public import FulcrumCore
import RealModule

/// Draws an account population from a ``PopulationConfig`` under a venue profile, deterministically.
///
/// Accounts are generated in chunks of ``chunkSize``; chunk `c` uses random stream `populationStream + c` of the
/// seed, so the population is identical for any thread count.
public enum PopulationGenerator {
    /// Accounts per random stream.
    public static let chunkSize = 16_384
    /// The first stream number used for populations (paths use streams from 0).
    public static let populationStream: UInt64 = 1 << 40

    /// Generates the population.
    ///
    /// Per account: side (long with probability `longFraction`), notional `~ Pareto(minimumNotional, α)` capped at
    /// `maximumNotional`, entry at a uniformly drawn age in `history` (index 0 is the start price, index k the price
    /// k steps before), size `notional / entry` rounded **down** to the market step (at least one step), leverage
    /// drawn then clamped to the tier's maximum, initial margin from ``VenueProfile/initialMargin(size:price:leverage:market:openInterestNotional:)``
    /// (times `crossWalletMultiple` for cross accounts, rounded down) plus the entry's rounding loss (the booked
    /// half-even notional against the value rounded against the trader: 0 or 1 raw unit), and the liquidation price from
    /// ``LiquidationThreshold``. An account already liquidatable at the start price redraws its entry (it would not
    /// have survived to the start); after 16 tries it enters at the start price. The accounts are then laid out in
    /// liquidation order (``AccountBook/arrangeInLiquidationOrder()``: longs by descending, shorts by ascending
    /// liquidation price), so a price move reaches them front to back.
    ///
    /// - Parameter history: prices before the start, index 0 = start (at least one element).
    /// - Throws: ``LabError`` naming the field when the configuration or an account's arithmetic is invalid.
    public static func generate(
        config: PopulationConfig,
        history: [Price],
        profile: VenueProfile,
        market: MarketSpec,
        seed: UInt64,
        threads: Int = 1
    ) throws(LabError) -> AccountBook {
        try config.validate()
        guard market.kind == .linear else {
            throw LabError("market.kind \(market.kind) is not supported by the lab (linear only)")
        }
        guard let start = history.first, start.isPositive else { throw LabError("population history is empty") }
        let chunks = (config.count + chunkSize - 1) / chunkSize
        // Waves of `threads` chunks: each wave is generated in parallel and appended before the next starts, so
        // only a wave's chunks are ever held next to the book (not a second copy of the whole population).
        let wave = Swift.max(1, threads)
        var book = AccountBook(capacity: config.count)
        var first = 0
        while first < chunks {
            let count = Swift.min(wave, chunks - first)
            var parts = [Result<AccountBook, LabError>?](repeating: nil, count: count)
            parts.withUnsafeMutableBufferPointer { buffer in
                let out = UncheckedBox(buffer)
                ParallelFor.run(count: count, threads: threads) { k in
                    let c = first + k
                    let lower = c * chunkSize
                    let upper = Swift.min(config.count, lower + chunkSize)
                    var random = LabRandom(seed: seed, stream: populationStream + UInt64(c))
                    out.value[k] = Result { () throws(LabError) -> AccountBook in
                        try generateChunk(
                            count: upper - lower,
                            config: config,
                            history: history,
                            profile: profile,
                            market: market,
                            random: &random
                        )
                    }
                }
            }
            for part in parts {
                guard let part else { continue }
                let chunk = try part.get()
                book.sizes += chunk.sizes
                book.entries += chunk.entries
                book.margins += chunk.margins
                book.liquidationPrices += chunk.liquidationPrices
                book.flags += chunk.flags
            }
            first += count
        }
        book.arrangeInLiquidationOrder()
        return book
    }

    static func drawLeverage(_ distribution: LeverageDistribution, random: inout LabRandom) -> Double {
        switch distribution {
        case .uniform(let low, let high):
            return low + (high - low) * random.nextUnit()
        case .logNormal(let median, let sigma, let maximum):
            return Swift.min(maximum, Swift.max(1, median * Double.exp(sigma * random.nextGaussian())))
        case .empirical(let values):
            return Swift.max(1, values[random.nextIndex(below: values.count)])
        }
    }

    static func generateChunk(
        count: Int,
        config: PopulationConfig,
        history: [Price],
        profile: VenueProfile,
        market: MarketSpec,
        random: inout LabRandom
    ) throws(LabError) -> AccountBook {
        var book = AccountBook(capacity: count)
        let start = history[0]
        let window = Swift.min(config.entryWindowSteps, history.count - 1)
        let step = market.stepSize.isPositive ? market.stepSize.raw : 1
        let walletMultiple = Rate(raw: Int64((config.crossWalletMultiple * 1e8).rounded(.down)))
        for _ in 0..<count {
            let isLong = random.nextUnit() < config.longFraction
            let isIsolated = random.nextUnit() < config.isolatedFraction
            let isDeleverager = random.nextUnit() < config.deleveragerFraction
            let notional = Swift.min(
                config.maximumNotional,
                random.nextPareto(minimum: config.minimumNotional, alpha: config.paretoAlpha)
            )
            let drawnLeverage = drawLeverage(config.leverage, random: &random)
            let side: PositionSide = isLong ? .long : .short
            var chosen: (size: Quantity, entry: Price, margin: Money, liq: Price?)?
            for attempt in 0..<16 {
                let age = attempt == 15 || window == 0 ? 0 : random.nextIndex(below: window + 1)
                let entry = history[age]
                // size = notional / entry, rounded down to the step (a smaller position: conservative).
                var sizeRaw = Int64((notional * 1e8 / Double(entry.raw) * 1e8).rounded(.down))
                sizeRaw = Swift.max(step, sizeRaw - sizeRaw % step)
                let size = Quantity(raw: sizeRaw)
                let margin: Money
                do {
                    let exact = try size.notional(at: entry, rounding: .up)
                    let cap = market.tiers.tier(forSize: size, notional: exact).maxLeverage
                    let requested = Leverage(raw: Int64((drawnLeverage * 1e8).rounded(.down)))
                    let leverage = Leverage.minimum(requested, cap)
                    let initial = try profile.initialMargin(
                        size: size,
                        price: entry,
                        leverage: leverage,
                        market: market
                    )
                    // The engine books the fill at the half-even notional and values the position at the same
                    // price rounded against the trader (down for a long, up for a short), so on a market whose
                    // step × tick is not a whole money unit the position opens up to one raw unit under water:
                    // the deposit covers that loss on top of the initial margin, or the opening fill would fail
                    // the engine's initial-margin check (zero on markets where the notional is exact).
                    let booked = try size.notional(at: entry, rounding: .halfEven)
                    let entryLoss =
                        isLong
                        ? try booked.subtracting(try size.notional(at: entry, rounding: .down))
                        : try size.notional(at: entry, rounding: .up).subtracting(booked)
                    let backing = isIsolated ? initial : try initial.times(walletMultiple, rounding: .down)
                    margin = try backing.adding(entryLoss)
                } catch {
                    throw LabError(field: "population account margin", error)
                }
                let alive = !LiquidationThreshold.isLiquidatable(
                    side: side,
                    size: size,
                    entry: entry,
                    margin: margin,
                    price: start,
                    profile: profile,
                    market: market
                )
                if alive || attempt == 15 {
                    let liq = LiquidationThreshold.price(
                        side: side,
                        size: size,
                        entry: entry,
                        margin: margin,
                        profile: profile,
                        market: market
                    )
                    chosen = (size, entry, margin, liq)
                    break
                }
            }
            guard let chosen else { continue }
            var flags: UInt8 = 0
            if isLong { flags |= AccountBook.flagLong }
            if !isIsolated { flags |= AccountBook.flagCross }
            if isDeleverager { flags |= AccountBook.flagDeleverager }
            book.append(
                size: chosen.size,
                entry: chosen.entry,
                margin: chosen.margin,
                liquidationPrice: chosen.liq ?? .zero,
                flags: flags
            )
        }
        return book
    }

    /// A synthetic entry history: a driftless log random walk of `steps` steps back from `start` with per-step
    /// volatility `volatility`, rounded half-even to `tick` (index 0 = start).
    public static func syntheticHistory(
        start: Price,
        steps: Int,
        volatility: Double,
        tick: Price,
        seed: UInt64
    ) throws(LabError) -> [Price] {
        var random = LabRandom(seed: seed, stream: populationStream - 1)
        var returns = [Double](repeating: 0, count: Swift.max(0, steps))
        for i in returns.indices { returns[i] = volatility * random.nextGaussian() }
        return try PricePath(start: start, logReturns: returns, tick: tick).prices
    }
}
