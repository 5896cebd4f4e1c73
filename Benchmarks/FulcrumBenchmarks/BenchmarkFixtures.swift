import Benchmark
import FulcrumCore
import FulcrumEngine

// Inputs shared by every benchmark file (HotPathBenchmarks.swift, IndexBenchmarks.swift): one definition of each
// workload, drawn exactly as `fulcrum bench` draws it.

/// Random isolated Binance BTCUSDT positions, drawn as `fulcrum bench --workload liqprice` draws them (see
/// `BenchWorkload+Liquidation.swift`): side, entry `(200,000 + below(10⁶)) × 0.1`, size `(1 + below(5,000)) ×
/// 0.001`, leverage `1 + below(125)`, margin = notional ÷ leverage rounded down.
struct IsolatedInputs {
    var sides: [PositionSide] = []
    var entries: [Price] = []
    var sizes: [Quantity] = []
    var margins: [Money] = []

    init(count: Int, seed: UInt64) {
        var random = SplitMixRandom(seed: seed)
        for _ in 0..<count {
            let isLong = random.below(2) == 0
            let ticks = Int64(200_000 + random.below(1_000_000))
            let steps = Int64(1 + random.below(5_000))
            let leverage = Int64(1 + random.below(125))
            sides.append(isLong ? .long : .short)
            entries.append(Price(raw: ticks * 10_000_000))
            sizes.append(Quantity(raw: steps * 100_000))
            margins.append(Money(raw: ticks * steps * 10_000 / leverage))  // floor, as the bench command
        }
    }
}

/// A clearing engine with `accounts` cross accounts of three positions (Binance BTCUSDT, Binance ETHUSDT,
/// Hyperliquid BTC) against the backstop account 0, after a −7 % / −9 % / −7 % shock; as `fulcrum bench --workload
/// cross-check` builds it.
func crossEngine(accounts: Int, seed: UInt64) throws -> ClearingEngine {
    let markets: [(MarketSpec, VenueProfile, Int64, Int64, Int)] = [
        (MarketCatalog.binanceBTCUSDT, .binance, 100_000, 93_000, 100),
        (MarketCatalog.binanceETHUSDT, .binance, 4_000, 3_640, 2_000),
        (MarketCatalog.hyperliquidBTC, .hyperliquid, 100_000, 93_000, 100),
    ]
    let unit = FixedPointScale.factor
    var engine = ClearingEngine()
    var random = SplitMixRandom(seed: seed)
    var effects: [Effect] = []
    for (index, market) in markets.enumerated() {
        let id = MarketID(UInt32(index))
        try engine.apply(.listMarket(MarketListing(spec: market.0, profile: market.1)), effects: &effects)
        try engine.apply(.indexPrice(market: id, price: Price(raw: market.2 * unit)), effects: &effects)
        try engine.apply(.markPrice(market: id, price: Price(raw: market.2 * unit)), effects: &effects)
    }
    try engine.apply(.deposit(account: AccountID(0), amount: Money(raw: 50_000_000_000 * unit)), effects: &effects)
    for account in 1...accounts {
        let id = AccountID(UInt32(account))
        var trades: [TradeEvent] = []
        var notional: Int64 = 0
        for (index, market) in markets.enumerated() {
            let isLong = random.below(2) == 0
            let steps = Int64(1 + random.below(market.4))
            notional += steps * market.2 * unit / 1_000
            trades.append(
                TradeEvent(
                    market: MarketID(UInt32(index)),
                    buyer: isLong ? id : AccountID(0),
                    seller: isLong ? AccountID(0) : id,
                    size: Quantity(raw: steps * 100_000),
                    price: Price(raw: market.2 * unit)
                )
            )
        }
        let leverage = Int64(2 + random.below(15))
        try engine.apply(.deposit(account: id, amount: Money(raw: notional / leverage)), effects: &effects)
        for trade in trades { try engine.apply(.trade(trade), effects: &effects) }
        effects.removeAll(keepingCapacity: true)
    }
    for (index, market) in markets.enumerated() {
        let id = MarketID(UInt32(index))
        try engine.apply(.indexPrice(market: id, price: Price(raw: market.3 * unit)), effects: &effects)
        try engine.apply(.markPrice(market: id, price: Price(raw: market.3 * unit)), effects: &effects)
    }
    return engine
}

/// Tolerances for the static thresholds in `Benchmarks/Thresholds` (p90): the shared 2-core machine swings wall
/// clock by more than 2× (the same batch measured 3.3 ms and 7.3 ms an hour apart), so wall clock fails only when it
/// doubles (100 % relative, the recorded value absolute; thresholds were recorded under load); throughput is not
/// checked (it is wall clock inverted, and package-benchmark 1.38 records its static p90 inconsistently);
/// allocations get none, so a single new malloc on a hot path fails `benchmark thresholds check`.
func tolerances(wallClockNanoseconds: Int) -> [BenchmarkMetric: BenchmarkThresholds] {
    [
        .wallClock: BenchmarkThresholds(relative: [.p90: 100.0], absolute: [.p90: wallClockNanoseconds]),
        .mallocCountTotal: .strict,
    ]
}
